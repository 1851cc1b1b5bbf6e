"""The data `make bench` measures on, generated once and cached under .build-bench-data/.

Generated with `onestop generate` (deterministic: the same options give the same bytes):

  A        ≥ 1 GB of dvcqg XML in 32 files (4 systems × 8 nightly exports), each dossier in 2
  A.gz     the same exports gzip-compressed
  B        4 × A's records with A's distinct dossiers (1 system × 32 exports, each dossier in 8)
  S        one single file as large as A
  P        a province-year: 2 M dossiers, 3.3 M records (≈ 4.1 GB) in 48 files (4 systems × 12)

Derived from generated exports by rewriting them line by line (records, dossiers and rejects
unchanged, so the runs' counts are still checked against the manifest):

  short    A without the personal data every record carries (owner, ID and phone numbers,
           e-mail, address, summary) and without indentation: many small records, ≈ 40 % of
           A's bytes per record — what onestop adds per record weighs most here
  long     half of A's records, each with 8 more attachments and 3 more supplement requests:
           ≈ 1.6 × A's bytes per record, most of it in groups

And one file written here:

  codes    200,000 records, each with its own agency (<DonViXuLy>) and procedure (<MaTTHC>),
           beside the same records over 40 agencies and 48 procedures: what a distinct code
           costs in time and memory
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field

from bench_common import ROOT, SEED, log, run

DIALECTS = os.path.join(ROOT, "Pipelines", "dialects")
# Bumped when a transform below changes, so cached derived sets are rebuilt.
TRANSFORM_VERSION = "1"


@dataclass
class DataSet:
    key: str  # also its folder name
    label: str
    sources: int
    nights: int
    records: int
    dossiers: int
    gzip: bool = False
    # "short" or "long": rewritten from exports generated with the options above.
    transform: str | None = None
    folder: str = ""
    manifest: dict = field(default_factory=dict)

    @property
    def files(self) -> list[str]:
        return [os.path.join(self.folder, f["path"]) for f in self.manifest["files"]]

    @property
    def pipeline(self) -> str:
        return os.path.join(self.folder, "pipeline.yaml")

    @property
    def xml_bytes(self) -> int:
        return self.manifest["xmlBytes"]

    @property
    def disk_bytes(self) -> int:
        return self.manifest["bytesOnDisk"]

    @property
    def single_file(self) -> bool:
        return len(self.manifest["files"]) == 1


_generator_version: dict[str, str] = {}


def generator_version(onestop: str) -> str:
    """The generator's version, read from a tiny generation (cached per binary)."""
    if onestop not in _generator_version:
        with tempfile.TemporaryDirectory() as scratch:
            out = os.path.join(scratch, "v")
            run([onestop, "generate", "--records", "2", "--sources", "1", "--out", out, "--quiet",
                 "--dialects", DIALECTS])
            with open(os.path.join(out, "generated.json"), encoding="utf-8") as handle:
                _generator_version[onestop] = json.load(handle)["generator"]
    return _generator_version[onestop]


def bytes_per_record(onestop: str, sources: int, nights: int, per_dossier: int) -> float:
    """XML bytes per record of a set shaped like A, from a 20 000-record sample."""
    with tempfile.TemporaryDirectory() as scratch:
        out = os.path.join(scratch, "sample")
        records = 20_000
        run([onestop, "generate", "--records", str(records), "--dossiers", str(records // per_dossier),
             "--sources", str(sources), "--nights", str(nights), "--seed", str(SEED), "--out", out, "--quiet",
             "--dialects", DIALECTS])
        with open(os.path.join(out, "generated.json"), encoding="utf-8") as handle:
            return json.load(handle)["xmlBytes"] / records


def prepare(onestop: str, data: DataSet, root: str) -> None:
    """Generates (or finds cached) `data` under `root`."""
    data.folder = os.path.join(root, data.key)
    manifest_path = os.path.join(data.folder, "generated.json")
    wanted = {"records": data.records, "dossiers": data.dossiers, "sources": data.sources,
              "nights": data.nights, "gzip": data.gzip, "seed": SEED, "dialect": "dvcqg"}
    if data.transform:
        wanted["transform"] = f"{data.transform}-{TRANSFORM_VERSION}"
    if os.path.exists(manifest_path):
        with open(manifest_path, encoding="utf-8") as handle:
            manifest = json.load(handle)
        if all(manifest.get(k) == v for k, v in wanted.items()) and manifest.get("generator") == generator_version(onestop):
            data.manifest = manifest
            log(f"data {data.key}: cached ({manifest['xmlBytes'] / 1e6:,.0f} MB)")
            return
    shutil.rmtree(data.folder, ignore_errors=True)
    started = time.perf_counter()
    if data.transform:
        base = data.folder + ".base"
        shutil.rmtree(base, ignore_errors=True)
        generate(onestop, data, base)
        log(f"data {data.key}: rewriting the exports ({data.transform} records)")
        rewrite(base, data.folder, data.transform, wanted["transform"])
        shutil.rmtree(base, ignore_errors=True)
    else:
        generate(onestop, data, data.folder)
    with open(manifest_path, encoding="utf-8") as handle:
        data.manifest = json.load(handle)
    seconds = time.perf_counter() - started
    log(f"data {data.key}: {data.xml_bytes / 1e6:,.0f} MB of XML in {seconds:.1f} s")


def generate(onestop: str, data: DataSet, folder: str) -> None:
    log(f"data {data.key}: generating {data.records:,} records of {data.dossiers:,} dossiers")
    command = [onestop, "generate", "--records", str(data.records), "--dossiers", str(data.dossiers),
               "--sources", str(data.sources), "--nights", str(data.nights), "--seed", str(SEED),
               "--dialect", "dvcqg", "--dialects", DIALECTS, "--out", folder, "--quiet"]
    if data.gzip:
        command.append("--gzip")
    run(command)


# Elements of personal data the generator fills every record with (the dialect maps none).
PERSONAL = tuple(f"<{name}>".encode() for name in
                 ("ChuHoSo", "SoGiayToChuHoSo", "SoDienThoai", "Email", "DiaChiChuHoSo", "TrichYeuHoSo"))
EXTRA_ATTACHMENTS = 8
EXTRA_SUPPLEMENTS = 3
LONG_GROUPS = (
    b"    <TaiLieuNop>\n"
    + b"      <TepDinhKem>\n        <DuocSoHoa>0</DuocSoHoa>\n      </TepDinhKem>\n" * EXTRA_ATTACHMENTS
    + b"    </TaiLieuNop>\n    <DanhSachHoSoBoSung>\n"
    + (b"      <HoSoBoSung>\n        <NgayYeuCau>20220301080000</NgayYeuCau>\n"
       b"        <NgayBoSung>20220304080000</NgayBoSung>\n      </HoSoBoSung>\n") * EXTRA_SUPPLEMENTS
    + b"    </DanhSachHoSoBoSung>\n")


def rewrite(base: str, folder: str, transform: str, version: str) -> None:
    """Rewrites every export of the generated set in `base` into `folder`, line by line (the
    generator writes one element per line): `short` drops the personal data and the
    indentation, `long` adds attachments and supplement requests (a flag 0 and valid dates:
    no record changes between kept and rejected)."""
    with open(os.path.join(base, "generated.json"), encoding="utf-8") as handle:
        manifest = json.load(handle)
    os.makedirs(folder)
    for name in ("pipeline.yaml", "catalogue.csv"):
        shutil.copy(os.path.join(base, name), os.path.join(folder, name))
    total = 0
    for entry in manifest["files"]:
        source = os.path.join(base, entry["path"])
        target = os.path.join(folder, entry["path"])
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(source, "rb") as reader, open(target, "wb", buffering=1 << 20) as writer:
            if transform == "short":
                for line in reader:
                    text = line.lstrip()
                    if not text.startswith(PERSONAL):
                        writer.write(text)
            else:
                for line in reader:
                    if line == b"  </HoSo>\n":
                        writer.write(LONG_GROUPS)
                    writer.write(line)
        size = os.path.getsize(target)
        entry["xmlBytes"] = entry["bytesOnDisk"] = size
        total += size
    manifest["xmlBytes"] = manifest["bytesOnDisk"] = total
    manifest["transform"] = version
    with open(os.path.join(folder, "generated.json"), "w", encoding="utf-8") as handle:
        json.dump(manifest, handle, indent=2, sort_keys=True)


# ------------------------------------------------------------------------------------------
# The distinct-codes file
# ------------------------------------------------------------------------------------------

CODES_VERSION = "1"


@dataclass
class CodesFiles:
    """One export whose every record has its own agency and procedure, and the same records
    over a few of each; a pipeline for each."""
    records: int
    folder: str = ""

    @property
    def distinct(self) -> str:
        return os.path.join(self.folder, "distinct.yaml")

    @property
    def shared(self) -> str:
        return os.path.join(self.folder, "shared.yaml")

    def xml(self, kind: str) -> str:
        return os.path.join(self.folder, f"{kind}.xml")


def prepare_codes(records: int, root: str) -> CodesFiles:
    codes = CodesFiles(records, os.path.join(root, "codes"))
    stamp = os.path.join(codes.folder, "written.json")
    wanted = {"records": records, "version": CODES_VERSION}
    if os.path.exists(stamp):
        with open(stamp, encoding="utf-8") as handle:
            if json.load(handle) == wanted:
                log(f"data codes: cached ({records:,} records)")
                return codes
    shutil.rmtree(codes.folder, ignore_errors=True)
    os.makedirs(codes.folder)
    log(f"data codes: writing {records:,} records with distinct agencies and procedures, and with shared ones")
    for kind in ("distinct", "shared"):
        with open(codes.xml(kind), "w", encoding="utf-8", buffering=1 << 20) as handle:
            handle.write('<?xml version="1.0" encoding="UTF-8"?>\n<DanhSachHoSo NgayXuat="20221201020000">\n')
            for i in range(records):
                agency, procedure = (i, i) if kind == "distinct" else (i % 40, i % 48)
                month = 1 + i % 9
                handle.write(
                    f"<HoSo><MaHoSo>D-{i:07d}</MaHoSo><MaTTHC>P.{procedure:06d}</MaTTHC>"
                    f"<TenTTHC>Thủ tục {procedure}</TenTTHC><MaLinhVuc>F{i % 50}</MaLinhVuc>"
                    f"<DonViXuLy>A.{agency:06d}</DonViXuLy><KenhThucHien>{1 + i % 2}</KenhThucHien>"
                    f"<HinhThuc>0</HinhThuc><TrangThaiHoSo>10</TrangThaiHoSo>"
                    f"<NgayTiepNhan>20220{month}15083000</NgayTiepNhan><NgayHenTra>20220{month}25170000</NgayHenTra>"
                    f"<NgayKetThucXuLy>20220{month}2{i % 10}170000</NgayKetThucXuLy>"
                    f"<NgayTra>20220{month}28170000</NgayTra><HoSoCoThanhPhanSoHoa>{i % 2}</HoSoCoThanhPhanSoHoa>"
                    "</HoSo>\n")
            handle.write("</DanhSachHoSo>\n")
        with open(os.path.join(codes.folder, f"{kind}.yaml"), "w", encoding="utf-8") as handle:
            handle.write(
                f"pipeline: codes-{kind}\nperiod: {{ from: 2022-01-01, to: 2022-12-31 }}\ntimezone: Asia/Ho_Chi_Minh\n"
                f"catalogue: {os.path.join(ROOT, 'Fixtures', 'demo', 'catalogue.csv')}\ndialects: {DIALECTS}\n"
                f"sources:\n  - {{ name: tinh, level: province, dialect: dvcqg, files: [\"{codes.xml(kind)}\"] }}\n"
                f"rules: {{ maxRejectRate: none }}\n")
    with open(stamp, "w", encoding="utf-8") as handle:
        json.dump(wanted, handle)
    return codes
