#!/usr/bin/env python3
"""Generate the demo fixtures, deterministically (seeded): `python3 Fixtures/tools/make_demo.py`.

Writes
    Fixtures/demo/catalogue.csv                  the procedure catalogue (SPEC §2.2)
    Fixtures/demo/tinh/*.xml, *.xml.gz           province centre, dialect dvcqg, 3 nightly files
    Fixtures/demo/dai_tu/*.xml                   district, dvcqg
    Fixtures/demo/phu_binh/*.xml                 district, igate, 2 nightly files
    Fixtures/demo/dong_hy/*.xml.gz               district, igate
    Fixtures/demo/planted.json, PLANTED.md       the planted edge cases: ids, files, expected class
    Fixtures/demo/personal-values.txt            every personal-data value written (none may reach any output)
    Fixtures/broken/*                            files that must fail as files (R8)
    Fixtures/pipelines/bad-catalogue.csv         catalogue with a duplicate code (R22)

Running it twice gives byte-identical files (fixed seed, gzip without name or mtime).
The expected outputs come from the oracle, not from here:
    python3 Fixtures/tools/oracle.py Pipelines/demo.yaml --out Fixtures/expected/demo
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import os
import random
import unicodedata

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
DEMO = os.path.join(ROOT, "demo")
BROKEN = os.path.join(ROOT, "broken")
SEED = 20220101

# ---------------------------------------------------------------------------------------------
# Catalogue
# ---------------------------------------------------------------------------------------------

# code (as written in the CSV), name, field, level, online, postal
CATALOGUE = [
    ("1.009994", "Cấp giấy phép xây dựng mới đối với công trình cấp đặc biệt, cấp I, cấp II", "XD", "province", "full", "yes"),
    ("1.010012", "Điều chỉnh giấy phép xây dựng công trình cấp I, cấp II", "XD", "province", "partial", "no"),
    ("1.004227", "Cấp giấy phép môi trường", "MT", "province", "full", "yes"),
    ("2.001157", "Cấp lại Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất", "DD", "province", "partial", "yes"),
    ("1.001612", "Đăng ký thành lập doanh nghiệp tư nhân", "KD", "province", "full", "yes"),
    ("1.000105", "Cấp giấy phép lao động cho người lao động nước ngoài làm việc tại Việt Nam", "LĐ", "province", "partial", "yes"),
    ("1.001098", "Cấp chứng chỉ hành nghề khám bệnh, chữa bệnh", "YT", "province", "partial", "no"),
    ("1.002804", "Cấp đổi giấy phép lái xe do ngành Giao thông vận tải cấp", "GT", "province", "full", "yes"),
    ("2.002482", "Công nhận trường tiểu học đạt chuẩn quốc gia", "GD", "province", "none", "no"),
    ("1.003622", "Cấp giấy phép tổ chức lễ hội", "VH", "province", "none", "yes"),
    ("2.000488", "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam", "TP", "province", "full", "yes"),
    ("1.008003", "Cấp giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm", "NN", "province", "partial", "no"),
    ("2.002226", "Đăng ký thành lập hộ kinh doanh", "KD", "district", "full", "yes"),
    ("2.000635", "Đăng ký thay đổi nội dung đăng ký hộ kinh doanh", "KD", "district", "partial", "no"),
    ("1.001009", "Cấp giấy phép xây dựng nhà ở riêng lẻ", "XD", "district", "partial", "yes"),
    ("1.004883", "Đăng ký kết hôn có yếu tố nước ngoài", "HT", "district", "full", "yes"),
    ("2.000748", "Cấp bản sao trích lục hộ tịch", "HT", "district", "full", "no"),
    ("1.003003", "Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất", "DD", "district", "partial", "yes"),
    ("1.004873", "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan có thẩm quyền của Việt Nam cấp", "CT", "district", "none", "no"),
    ("1.001757", "Giải quyết trợ cấp xã hội hằng tháng đối với đối tượng bảo trợ xã hội", "LĐ", "district", "partial", "yes"),
    ("1.004494", "Cấp giấy phép bán lẻ sản phẩm rượu", "TM", "district", "full", "yes"),
    ("2.001823", "Cho phép trường mẫu giáo, trường mầm non tư thục hoạt động giáo dục", "GD", "district", "none", "no"),
    ("1.003596", "Công nhận gia đình văn hóa tiêu biểu", "VH", "district", "partial", "no"),
    # Written lower-case with spaces: the catalogue's codes are normalised too (R1).
    ("  t-tng-284916-tt ", "Hỗ trợ kinh phí xây dựng nhà văn hóa xóm", "VH", "district", "none", "no"),
    ("1.011608", "Thẩm định, phê duyệt phương án ứng phó thiên tai", "NN", "district", "partial", "yes"),
    ("2.002163", "Cấp giấy phép khai thác nước dưới đất", "MT", "district", "full", "no"),
    ("1.001193", "Đăng ký khai sinh", "HT", "commune", "full", "yes"),
    ("1.000656", "Đăng ký khai tử", "HT", "commune", "full", "no"),
    ("1.004837", "Đăng ký kết hôn", "HT", "commune", "partial", "yes"),
    ("2.000908", "Chứng thực chữ ký trong các giấy tờ, văn bản", "CT", "commune", "partial", "no"),
    ("1.000894", "Đăng ký giám hộ", "HT", "commune", "none", "no"),
    ("2.000986", "Xác nhận tình trạng hôn nhân", "HT", "commune", "full", "yes"),
    ("1.005462", "Hỗ trợ khắc phục hậu quả thiên tai cho hộ gia đình", "NN", "commune", "none", "yes"),
    ("1.003554", "Đăng ký nhận cha, mẹ, con", "HT", "commune", "partial", "no"),
    ("2.001255", "Xác nhận đơn đề nghị hỗ trợ học phí", "GD", "commune", "none", "no"),
    ("1.010831", "Cấp giấy xác nhận thông tin về cư trú", "CA", "commune", "full", "yes"),
]
CAT = {c.strip().upper(): (c, name, field, level, online, postal) for c, name, field, level, online, postal in CATALOGUE}
# Offered, but no dossier in the demo year: they stay in the coverage denominators only.
NO_DOSSIERS = {"1.008003", "2.002163", "1.011608"}
BY_LEVEL = {lv: [k for k, v in CAT.items() if v[3] == lv and k not in NO_DOSSIERS]
            for lv in ("province", "district", "commune")}

# Province departments by field.
TINH_AGENCY = {"XD": "000.00.10.H55", "TP": "000.00.11.H55", "MT": "000.00.12.H55", "DD": "000.00.12.H55",
               "KD": "000.00.14.H55", "LĐ": "000.00.15.H55", "YT": "000.00.16.H55", "GT": "000.00.17.H55",
               "GD": "000.00.18.H55", "VH": "000.00.19.H55", "NN": "000.00.20.H55"}

# ---------------------------------------------------------------------------------------------
# Sources and their nightly exports
# ---------------------------------------------------------------------------------------------

T = dt.datetime
SOURCES = {
    "tinh": {"dialect": "dvcqg", "level": "province", "unit": "000.00.01.H55",
             "exports": [("tinh_20220701.xml", T(2022, 7, 1, 2, 0)), ("tinh_20221001.xml", T(2022, 10, 1, 2, 0)),
                         ("tinh_20230110.xml.gz", T(2023, 1, 10, 2, 0))]},
    "dai_tu": {"dialect": "dvcqg", "level": "district", "unit": "000.00.21.H55",
               "district": "000.00.21.H55", "communes": ["000.21.01.H55", "000.21.02.H55"],
               "exports": [("dai_tu_20220701.xml", T(2022, 7, 1, 2, 5)), ("dai_tu_20230110.xml", T(2023, 1, 10, 2, 5))]},
    "phu_binh": {"dialect": "igate", "level": "district", "unit": "H55.22",
                 "district": "000.00.22.H55", "communes": ["000.22.01.H55", "000.22.02.H55"],
                 "exports": [("phu_binh_20220801.xml", T(2022, 8, 1, 1, 30)), ("phu_binh_20230110.xml", T(2023, 1, 10, 1, 30))]},
    "dong_hy": {"dialect": "igate", "level": "district", "unit": "H55.23",
                "district": "000.00.23.H55", "communes": ["000.23.01.H55"],
                "exports": [("dong_hy_20230110.xml.gz", T(2023, 1, 10, 1, 45))]},
}
ORDER = ["tinh", "dai_tu", "phu_binh", "dong_hy"]
PERIOD_END = T(2023, 1, 1)  # the day after `to`, 00:00 local


# ---------------------------------------------------------------------------------------------
# Value helpers
# ---------------------------------------------------------------------------------------------

class Raw(str):
    """Written verbatim (bad dates, odd codes, other date formats)."""


class DateOnly:
    def __init__(self, y, m, d):
        self.date = dt.date(y, m, d)

    def as_dt(self, end_of_day=False):
        return T(self.date.year, self.date.month, self.date.day, 23, 59, 59) if end_of_day else \
            T(self.date.year, self.date.month, self.date.day)


MISSING = object()  # the element/attribute is not written at all


def fmt_date(value, dialect):
    if value is None or value is MISSING:
        return MISSING
    if isinstance(value, Raw):
        return str(value)
    if isinstance(value, DateOnly):
        return value.date.strftime("%d/%m/%Y")
    if dialect == "dvcqg":
        return value.strftime("%Y%m%d%H%M%S")
    return value.strftime("%d/%m/%Y %H:%M:%S")


def as_instant(value, end_of_day=False):
    """Comparable local datetime of a spec value (None for raw or missing)."""
    if value is None or value is MISSING or isinstance(value, Raw):
        return None
    if isinstance(value, DateOnly):
        return value.as_dt(end_of_day)
    return value


STATUS_IGATE = {1: "moi_nop", 2: "da_tiep_nhan", 3: "tu_choi", 4: "dang_xu_ly", 5: "cho_bo_sung",
                6: "cho_nop_phi", 7: "rut_ho_so", 8: "dung_xu_ly", 9: "da_xu_ly", 10: "da_tra_kq"}
CHANNEL = {"dvcqg": {"in_person": "1", "online": "2", "postal": "3"},
           "igate": {"in_person": "truc_tiep", "online": "truc_tuyen", "postal": "buu_chinh"}}
RETURN = {"dvcqg": {"in_person": "0", "postal": "1"}, "igate": {"in_person": "truc_tiep", "postal": "buu_chinh"}}
FLAG = {"dvcqg": {True: "1", False: "0"}, "igate": {True: "co", False: "khong"}}


def code_value(table, value):
    if value is MISSING or value is None:
        return MISSING
    if isinstance(value, Raw):
        return str(value)
    return table[value]


def esc(text):
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))


def esc_attr(text):
    return esc(text).replace('"', "&quot;")


# ---------------------------------------------------------------------------------------------
# Personal data (fake)
# ---------------------------------------------------------------------------------------------

HO = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Dương", "Ma", "Lường"]
DEM = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Thu", "Ngọc", "Quang", "Thanh", "Xuân"]
TEN = ["An", "Bình", "Cường", "Dung", "Giang", "Hà", "Hạnh", "Hiếu", "Huệ", "Khánh", "Lan", "Long",
       "Mai", "Nam", "Nga", "Phúc", "Quyên", "Sơn", "Thảo", "Tuấn", "Vân", "Yến"]
XA = ["phường Hoàng Văn Thụ", "phường Phan Đình Phùng", "xã Hùng Sơn", "xã Quân Chu", "thị trấn Hương Sơn",
      "xã Tân Đức", "thị trấn Chùa Hang", "xã Hóa Thượng", "xã Quyết Thắng"]
HUYEN = ["thành phố Thái Nguyên", "huyện Đại Từ", "huyện Phú Bình", "huyện Đồng Hỷ"]


class People:
    def __init__(self, rng):
        self.rng = rng
        self.values = set()
        self.n = 0

    def person(self):
        r = self.rng
        self.n += 1
        name = f"{r.choice(HO)} {r.choice(DEM)} {r.choice(TEN)}"
        slug = unicodedata.normalize("NFD", name.replace("Đ", "D").replace("đ", "d"))
        slug = "".join(ch for ch in slug if ch.isascii()).lower().replace(" ", ".")
        p = {
            "name": name,
            "id": f"0{r.randint(19, 38):02d}{r.randint(0, 1)}{r.randint(60, 99):02d}{r.randint(0, 999999):06d}",
            "phone": f"09{r.randint(0, 99999999):08d}",
            "email": f"{slug}{self.n:03d}@vidu.vn",
            "address": f"Tổ {r.randint(1, 30)}, {r.choice(XA)}, {r.choice(HUYEN)}, tỉnh Thái Nguyên",
            "other": f"Ghi chú riêng số {r.randint(100000, 999999)}",
        }
        return p


# ---------------------------------------------------------------------------------------------
# Dossier specs
# ---------------------------------------------------------------------------------------------

class Spec:
    """A dossier's final state in canonical terms; `versions` says where it is written.

    versions: list of (export index, overrides) written in that order; overrides replace
    attributes for that version only (e.g. an older status). None → lifecycle (bulk dossiers).
    """

    def __init__(self, source, id, proc, received, status, due=None, finished=None, returned=None,
                 channel="in_person", ret="in_person", digitised=True, attachments=(), supps=(),
                 agency=None, field=None, name=None, versions=None, case=None, expect=None, note=""):
        self.source, self.id, self.proc = source, id, proc
        self.received, self.status, self.due = received, status, due
        self.finished, self.returned = finished, returned
        self.channel, self.ret, self.digitised = channel, ret, digitised
        self.attachments = list(attachments)
        self.supps = list(supps)  # dicts: req, ans, new
        self.agency, self.field, self.name = agency, field, name
        self.versions = versions
        self.case, self.expect, self.note = case, expect, note
        self.person = None

    def copy(self, **over):
        s = Spec.__new__(Spec)
        s.__dict__ = dict(self.__dict__)
        s.__dict__.update(over)
        return s


def default_agency(source, proc_key):
    level = CAT[proc_key][3] if proc_key in CAT else "district"
    if source == "tinh":
        return TINH_AGENCY.get(CAT[proc_key][2], "000.00.13.H55") if proc_key in CAT else "000.00.13.H55"
    src = SOURCES[source]
    return src["communes"][0] if level == "commune" else src["district"]


def fill_defaults(s: Spec):
    key = s.proc.strip().upper() if isinstance(s.proc, str) else None
    if s.name is None:
        s.name = CAT[key][1] if key in CAT else MISSING
    if s.field is None:
        s.field = CAT[key][2] if key in CAT else MISSING
    if s.agency is None:
        s.agency = default_agency(s.source, key)
    return s


# ---------------------------------------------------------------------------------------------
# Writers
# ---------------------------------------------------------------------------------------------

def dvcqg_record(s: Spec, people: People) -> str:
    d = "dvcqg"
    p = s.person
    out = ["  <HoSo>"]

    def el(tag, value, indent="    "):
        if value is MISSING or value is None:
            return
        out.append(f"{indent}<{tag}>{esc(str(value))}</{tag}>")

    el("MaHoSo", s.id)
    el("MaTTHC", s.proc)
    if isinstance(s.name, Raw) and s.name.startswith("<![CDATA["):
        out.append(f"    <TenTTHC>{s.name}</TenTTHC>")
    else:
        el("TenTTHC", s.name)
    el("MaLinhVuc", s.field)
    el("DonViXuLy", s.agency)
    el("KenhThucHien", code_value(CHANNEL[d], s.channel))
    el("HinhThuc", code_value(RETURN[d], s.ret))
    el("ChuHoSo", p["name_written"])
    el("SoGiayToChuHoSo", p["id"])
    el("SoDienThoai", p["phone"])
    el("Email", p["email"])
    el("DiaChiChuHoSo", p["address"])
    el("ThongTinKhac", p["other"])
    el("NgayTiepNhan", fmt_date(s.received, d))
    el("NgayHenTra", fmt_date(s.due, d))
    el("NgayKetThucXuLy", fmt_date(s.finished, d))
    el("NgayTra", fmt_date(s.returned, d))
    el("TrangThaiHoSo", s.status if isinstance(s.status, Raw) else (MISSING if s.status is MISSING else str(s.status)))
    el("HoSoCoThanhPhanSoHoa", code_value(FLAG[d], s.digitised))
    if s.attachments:
        out.append("    <TaiLieuNop>")
        for i, flag in enumerate(s.attachments):
            fname = ["don_de_nghi.pdf", "cccd.pdf", "ban_ve.pdf", "giay_uy_quyen.pdf"][i % 4]
            out.append(f"      <TepDinhKem><TenTepDinhKem>{fname}</TenTepDinhKem>"
                       f"<DuocSoHoa>{esc(code_value(FLAG[d], flag))}</DuocSoHoa></TepDinhKem>")
        out.append("    </TaiLieuNop>")
    if s.supps:
        out.append("    <DanhSachHoSoBoSung>")
        for sp in s.supps:
            parts = ["      <HoSoBoSung>"]
            for tag, key in (("NgayYeuCau", "req"), ("NgayBoSung", "ans"), ("NgayHenTraMoi", "new")):
                v = fmt_date(sp.get(key), d)
                if v is not MISSING:
                    parts.append(f"<{tag}>{esc(v)}</{tag}>")
            parts.append("<NoiDungYeuCau>Bổ sung bản sao giấy tờ</NoiDungYeuCau></HoSoBoSung>")
            out.append("".join(parts))
        out.append("    </DanhSachHoSoBoSung>")
    out.append("  </HoSo>")
    return "\n".join(out) + "\n"


def igate_record(s: Spec, people: People) -> str:
    d = "igate"
    p = s.person
    attrs = []

    def at(name, value):
        if value is MISSING or value is None:
            return
        attrs.append(f'{name}="{esc_attr(str(value))}"')

    at("ma", s.id)
    at("thuTuc", s.proc)
    at("linhVuc", s.field)
    at("coQuan", s.agency)
    at("kenh", code_value(CHANNEL[d], s.channel) if s.channel != "online_alias" else "online")
    at("traKetQua", code_value(RETURN[d], s.ret))
    st = s.status
    at("trangThai", st if isinstance(st, Raw) else (MISSING if st is MISSING else STATUS_IGATE[st]))
    at("soHoa", code_value(FLAG[d], s.digitised))
    out = [f"    <hoSo {' '.join(attrs)}>"]
    if s.name is not MISSING and s.name is not None:
        out.append(f"      <tenThuTuc>{esc(str(s.name))}</tenThuTuc>")
    out.append(f'      <nguoiNop hoTen="{esc_attr(p["name_written"])}" soGiayTo="{p["id"]}" '
               f'dienThoai="{p["phone"]}" email="{p["email"]}" diaChi="{esc_attr(p["address"])}"/>')
    t = []
    for name, value in (("tiepNhan", s.received), ("henTra", s.due), ("ketThuc", s.finished), ("traKQ", s.returned)):
        v = fmt_date(value, d)
        if v is not MISSING:
            t.append(f'{name}="{esc_attr(v)}"')
    out.append(f"      <thoiGian {' '.join(t)}/>" if t else "      <thoiGian/>")
    for sp in s.supps:
        b = []
        for name, key in (("ngayYeuCau", "req"), ("ngayNop", "ans"), ("henTraMoi", "new")):
            v = fmt_date(sp.get(key), d)
            if v is not MISSING:
                b.append(f'{name}="{esc_attr(v)}"')
        out.append(f"      <boSung {' '.join(b)} noiDung=\"Bổ sung giấy tờ\"/>")
    if s.attachments:
        out.append("      <giayTo>")
        for i, flag in enumerate(s.attachments):
            fname = ["to_khai.pdf", "cccd.pdf", "so_ho_khau.pdf"][i % 3]
            out.append(f'        <tep ten="{fname}" soHoa="{esc_attr(code_value(FLAG[d], flag))}"/>')
        out.append("      </giayTo>")
    out.append("    </hoSo>")
    return "\n".join(out) + "\n"


def dvcqg_file(unit, export: dt.datetime, body: str, doctype=False) -> str:
    head = '<?xml version="1.0" encoding="UTF-8"?>\n'
    if doctype:
        head += "<!DOCTYPE DanhSachHoSo>\n"  # a plain DOCTYPE is allowed (R8)
    head += f'<DanhSachHoSo MaDonVi="{unit}" NgayXuat="{export.strftime("%Y%m%d%H%M%S")}">\n'
    return head + body + "</DanhSachHoSo>\n"


def igate_file(unit, name, export: dt.datetime, body: str) -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<BaoCao>\n'
            f'  <ThongTin donVi="{esc_attr(name)}" maDonVi="{unit}" thoiDiemXuat="{export.strftime("%d/%m/%Y %H:%M:%S")}"/>\n'
            '  <DuLieu>\n' + body + '  </DuLieu>\n</BaoCao>\n')


# ---------------------------------------------------------------------------------------------
# Lifecycle of bulk dossiers across nightly exports
# ---------------------------------------------------------------------------------------------

def state_at(s: Spec, t: dt.datetime) -> Spec:
    """The dossier as an export taken at `t` shows it."""
    if s.status in (1, 3):
        return s
    end = as_instant(s.finished) or as_instant(s.returned)
    supps = []
    for sp in s.supps:
        if as_instant(sp["req"]) <= t:
            v = dict(sp)
            if sp.get("ans") is not None and as_instant(sp["ans"]) > t:
                v["ans"] = None
            supps.append(v)
    if s.status >= 7 and end is not None and end <= t:
        if s.status == 10 and as_instant(s.returned) is not None and as_instant(s.returned) > t:
            return s.copy(status=9, returned=None, supps=supps)
        return s.copy(supps=supps)
    open_supp = any(v.get("ans") is None for v in supps)
    status = s.status if s.status in (2, 4, 5, 6) else (5 if open_supp else 4)
    return s.copy(status=status, finished=None, returned=None, supps=supps)


def lifecycle_versions(s: Spec):
    exports = SOURCES[s.source]["exports"]
    r = as_instant(s.received)
    out, prev = [], None
    for k, (_name, t) in enumerate(exports):
        if r is not None and r >= t:
            continue
        st = state_at(s, t)
        if prev is None or prev.__dict__ != s.__dict__:
            out.append((k, st))
        prev = st
    return out


# ---------------------------------------------------------------------------------------------
# Bulk dossiers
# ---------------------------------------------------------------------------------------------

def bulk(rng: random.Random, source: str, count: int, seq_start: int):
    src = SOURCES[source]
    level = src["level"]
    specs = []
    day0 = dt.date(2022, 1, 3)
    for i in range(count):
        if level == "province":
            proc = rng.choice(BY_LEVEL["province"])
        else:
            proc = rng.choice(BY_LEVEL["district"] if rng.random() < 0.75 else BY_LEVEL["commune"])
        if proc == "T-TNG-284916-TT":
            proc = "1.001009"
        day = day0 + dt.timedelta(days=rng.randint(0, 359))
        received = T(day.year, day.month, day.day, rng.randint(7, 16), rng.randint(0, 59), rng.randint(0, 59))
        limit = rng.choice([3, 5, 7, 10, 15])
        due_day = day + dt.timedelta(days=limit)
        due = (DateOnly(due_day.year, due_day.month, due_day.day) if src["dialect"] == "igate" and rng.random() < 0.5
               else T(due_day.year, due_day.month, due_day.day, 17, 0, 0))
        u = rng.random()
        if u < 0.64:
            end_day = day + dt.timedelta(days=rng.randint(0, limit - 1))
        elif u < 0.86:
            end_day = due_day
        else:
            end_day = due_day + dt.timedelta(days=rng.randint(1, 8))
        finished = T(end_day.year, end_day.month, end_day.day, rng.randint(8, 17), rng.randint(0, 59), 0)
        if finished <= received:
            finished = received + dt.timedelta(hours=3)
        status = 10 if rng.random() < 0.6 else 9
        if rng.random() < 0.03:
            status = 7
        elif rng.random() < 0.03:
            status = 8
        returned = None
        if status == 10:
            returned = finished + dt.timedelta(days=rng.randint(0, 2), hours=1)
        last_export = src["exports"][-1][1]
        if (returned or finished) >= last_export or (day >= dt.date(2022, 12, 12) and rng.random() < 0.5):
            status, finished, returned = rng.choice([2, 4, 4, 6]), None, None
        ch = rng.random()
        channel = "online" if ch < 0.60 else ("postal" if ch < 0.68 else "in_person")
        rr = rng.random()
        ret = "postal" if rr < 0.08 else (MISSING if rr < 0.14 else "in_person")
        digi_p = 0.9 if level == "province" else 0.6
        digitised = rng.random() < digi_p
        attachments = [rng.random() < 0.4 and digitised for _ in range(rng.randint(0, 3))]
        supps = []
        if rng.random() < 0.08 and finished is not None:
            req = received + dt.timedelta(days=1, hours=1)
            ans = req + dt.timedelta(days=rng.randint(1, 3))
            if ans < finished:
                sp = {"req": req, "ans": ans}
                if rng.random() < 0.5:
                    nd = due_day + dt.timedelta(days=5)
                    sp["new"] = T(nd.year, nd.month, nd.day, 17, 0, 0)
                supps.append(sp)
        unit = src["unit"]
        did = f"{unit}-{received.strftime('%y%m%d')}-{seq_start + i:04d}"
        if src["dialect"] == "igate":
            did = f"{unit}-{received.strftime('%y%m%d')}-{seq_start + i:04d}"
        s = Spec(source, did, CAT[proc][0].strip() if proc != "T-TNG-284916-TT" else proc, received, status,
                 due=due, finished=finished, returned=returned, channel=channel, ret=ret, digitised=digitised,
                 attachments=attachments, supps=supps)
        specs.append(fill_defaults(s))
    return specs


# ---------------------------------------------------------------------------------------------
# Planted edge cases (ids are stable; tests name them)
# ---------------------------------------------------------------------------------------------

def planted():
    P = []

    def add(case, expect, source, id, proc, received, status, note="", **kw):
        P.append(fill_defaults(Spec(source, id, proc, received, status, case=case, expect=expect, note=note, **kw)))

    D = DateOnly
    # --- carried over from 2021 --------------------------------------------------------------
    add("carried_resolved", "resolved_late/carried", "tinh", "000.00.01.H55-211215-9001", "1.009994",
        T(2021, 12, 15, 9, 0), 10, due=T(2021, 12, 28, 17, 0), finished=T(2022, 1, 4, 10, 0),
        returned=T(2022, 1, 5, 9, 0), channel="online", versions=[(0, {})])
    add("carried_resolved", "resolved_early/carried", "dai_tu", "000.00.21.H55-211220-9002", "1.001009",
        T(2021, 12, 20, 8, 30), 9, due=T(2022, 1, 5, 17, 0), finished=T(2022, 1, 4, 15, 0))
    add("carried_resolved", "resolved_on_time/carried", "phu_binh", "H55.22-211220-9003", "1.004883",
        T(2021, 12, 20, 14, 0), 10, due=D(2022, 1, 5), finished=T(2022, 1, 5, 16, 0),
        returned=T(2022, 1, 6, 8, 0), versions=[(0, {})])
    add("carried_open", "in_progress_overdue/carried", "tinh", "000.00.01.H55-211120-9004", "2.001157",
        T(2021, 11, 20, 10, 0), 4, due=T(2021, 12, 10, 17, 0), versions=[(0, {}), (1, {}), (2, {})])
    add("carried_open", "in_progress_within/carried", "dong_hy", "H55.23-211228-9005", "1.003003",
        T(2021, 12, 28, 9, 0), 5, due=D(2022, 1, 10), supps=[{"req": T(2022, 1, 5, 10, 0)}],
        note="waiting on the applicant since 05/01/2022 (R13): reference = request day ≤ due day")
    add("carried_resolved_before", "out_of_scope", "tinh", "000.00.01.H55-211201-9006", "1.004227",
        T(2021, 12, 1, 8, 0), 10, due=T(2021, 12, 15, 17, 0), finished=T(2021, 12, 10, 9, 0),
        returned=T(2021, 12, 11, 9, 0), versions=[(0, {})])
    add("carried_resolved_before", "out_of_scope", "dai_tu", "000.00.21.H55-211228-9007", "2.002226",
        T(2021, 12, 28, 8, 0), 7, due=T(2022, 1, 4, 17, 0), finished=T(2021, 12, 30, 9, 0),
        note="withdrawn before `from`")

    # --- supplements ---------------------------------------------------------------------
    add("supp_answered_new_due", "resolved_early/period", "tinh", "000.00.01.H55-220301-9010", "1.001612",
        T(2022, 3, 1, 9, 0), 10, due=T(2022, 3, 10, 17, 0), finished=T(2022, 3, 15, 10, 0),
        returned=T(2022, 3, 16, 9, 0), channel="online",
        supps=[{"req": T(2022, 3, 4, 10, 0), "ans": T(2022, 3, 8, 14, 0), "new": T(2022, 3, 18, 17, 0)}],
        note="late against NgayHenTra, early against the new due date 18/03")
    add("supp_answered_new_due", "resolved_on_time/period", "phu_binh", "H55.22-220405-9011", "2.002226",
        T(2022, 4, 5, 8, 0), 9, due=D(2022, 4, 12), finished=T(2022, 4, 20, 16, 0),
        supps=[{"req": T(2022, 4, 7, 9, 0), "ans": T(2022, 4, 11, 15, 0), "new": D(2022, 4, 20)}],
        note="date-only henTraMoi = end of 20/04 (R4)")
    add("supp_answered_new_due", "resolved_late/period", "dai_tu", "000.00.21.H55-220601-9012", "1.001009",
        T(2022, 6, 1, 8, 0), 9, due=T(2022, 6, 10, 17, 0), finished=T(2022, 6, 14, 10, 0),
        supps=[{"req": T(2022, 6, 3, 9, 0), "ans": T(2022, 6, 9, 9, 0), "new": T(2022, 6, 12, 17, 0)}],
        note="the new due date wins over due + waiting (which would give 16/06): R11")
    add("supp_answered_no_new_due", "resolved_on_time/period", "tinh", "000.00.01.H55-220404-9013", "2.000488",
        T(2022, 4, 4, 8, 0), 10, due=T(2022, 4, 11, 17, 0), finished=T(2022, 4, 13, 10, 0),
        returned=T(2022, 4, 13, 15, 0), supps=[{"req": T(2022, 4, 6, 9, 0), "ans": T(2022, 4, 8, 9, 0)}],
        note="due extended by 2 days of waiting → 13/04 17:00")
    add("supp_answered_no_new_due", "resolved_early/period", "dong_hy", "H55.23-220810-9014", "1.004494",
        T(2022, 8, 10, 8, 0), 9, due=D(2022, 8, 17), finished=T(2022, 8, 20, 10, 0),
        supps=[{"req": T(2022, 8, 12, 10, 0), "ans": T(2022, 8, 15, 16, 0)}],
        note="due 17/08 23:59:59 + 3 d 6 h = 21/08 05:59:59")
    add("supp_answered_no_new_due", "resolved_late/period", "dai_tu", "000.00.21.H55-220905-9015", "1.003003",
        T(2022, 9, 5, 8, 0), 10, due=T(2022, 9, 12, 17, 0), finished=T(2022, 9, 16, 10, 0),
        returned=T(2022, 9, 16, 14, 0), supps=[{"req": T(2022, 9, 7, 9, 0), "ans": T(2022, 9, 8, 9, 0)}],
        note="1 day of waiting only: effective due 13/09")
    add("supp_open_at_end", "in_progress_within/period", "tinh", "000.00.01.H55-221201-9016", "1.000105",
        T(2022, 12, 1, 9, 0), 5, due=T(2022, 12, 20, 17, 0), supps=[{"req": T(2022, 12, 10, 10, 0)}],
        note="waiting since 10/12 ≤ due 20/12 (R13); without R13 it would be overdue")
    add("supp_open_at_end", "in_progress_overdue/period", "phu_binh", "H55.22-221101-9017", "1.001757",
        T(2022, 11, 1, 8, 0), 5, due=D(2022, 11, 15), supps=[{"req": T(2022, 11, 20, 10, 0)}],
        note="request made after the due day")
    add("supp_open_at_end", "in_progress_within/period", "dai_tu", "000.00.21.H55-221201-9018", "1.004494",
        T(2022, 12, 1, 8, 0), 4, due=T(2022, 12, 16, 17, 0),
        supps=[{"req": T(2022, 12, 12, 10, 0), "ans": T(2023, 1, 4, 9, 0)}],
        note="answered after `to`: waiting at period end (R13) and the answer still extends the due date (R11)")
    add("supp_two_requests", "resolved_late/period", "tinh", "000.00.01.H55-220207-9019", "1.002804",
        T(2022, 2, 7, 8, 0), 10, due=T(2022, 2, 21, 17, 0), finished=T(2022, 2, 17, 10, 0),
        returned=T(2022, 2, 18, 10, 0), channel="online",
        supps=[{"req": T(2022, 2, 9, 9, 0), "ans": T(2022, 2, 10, 9, 0)},
               {"req": T(2022, 2, 14, 9, 0), "ans": T(2022, 2, 15, 9, 0)}],
        note="finished before due, but two requests → late (R12)")
    add("supp_two_requests", "in_progress_overdue/period", "dong_hy", "H55.23-221205-9020", "1.003003",
        T(2022, 12, 5, 8, 0), 5, due=D(2022, 12, 30),
        supps=[{"req": T(2022, 12, 8, 9, 0), "ans": T(2022, 12, 9, 9, 0)}, {"req": T(2022, 12, 20, 9, 0)}],
        note="in progress with two requests → overdue before any R13 reasoning")
    add("supp_two_requests", "resolved_late/period", "dai_tu", "000.00.21.H55-220712-9021", "2.000635",
        T(2022, 7, 12, 8, 0), 8, due=T(2022, 7, 26, 17, 0), finished=T(2022, 7, 20, 10, 0),
        supps=[{"req": T(2022, 7, 13, 9, 0), "ans": T(2022, 7, 14, 9, 0), "new": T(2022, 7, 30, 17, 0)},
               {"req": T(2022, 7, 15, 9, 0), "ans": T(2022, 7, 18, 9, 0)}],
        note="stopped (8) with two requests → late")

    # --- withdrawn, stopped, refused, not accepted ----------------------------------------
    add("withdrawn", "resolved_on_time/period", "tinh", "000.00.01.H55-220310-9022", "1.003622",
        T(2022, 3, 10, 8, 0), 7, due=T(2022, 3, 20, 17, 0), finished=T(2022, 4, 15, 10, 0),
        note="withdrawn long after due: on time (R12)")
    add("withdrawn", "resolved_on_time/period", "dong_hy", "H55.23-220502-9023", "2.002226",
        T(2022, 5, 2, 8, 0), 7, due=D(2022, 5, 9), finished=T(2022, 5, 20, 10, 0),
        supps=[{"req": T(2022, 5, 3, 9, 0), "ans": T(2022, 5, 4, 9, 0)}, {"req": T(2022, 5, 6, 9, 0)}],
        note="withdrawn with two requests: withdrawn comes first (R12)")
    add("withdrawn", "resolved_on_time/period", "dai_tu", "000.00.21.H55-220615-9024", "1.004883",
        T(2022, 6, 15, 8, 0), 7, due=MISSING, finished=T(2022, 6, 20, 10, 0),
        note="withdrawn without due date: on time, no 'no due date' warning (R12 order)")
    add("stopped", "resolved_late/period", "tinh", "000.00.01.H55-220601-9025", "1.001098",
        T(2022, 6, 1, 8, 0), 8, due=T(2022, 6, 10, 17, 0), finished=T(2022, 6, 20, 10, 0))
    add("stopped", "resolved_early/period", "phu_binh", "H55.22-220606-9026", "1.003596",
        T(2022, 6, 6, 8, 0), 8, due=D(2022, 6, 20), finished=T(2022, 6, 10, 10, 0))
    add("stopped", "resolved_on_time/period", "dong_hy", "H55.23-220704-9027", "2.000748",
        T(2022, 7, 4, 8, 0), 8, due=T(2022, 7, 8, 17, 0), finished=T(2022, 7, 8, 9, 0))
    add("refused", "not_accepted", "tinh", "000.00.01.H55-220412-9028", "1.009994",
        T(2022, 4, 12, 8, 0), 3, due=T(2022, 4, 26, 17, 0))
    add("refused", "not_accepted", "phu_binh", "H55.22-220413-9029", "1.001009",
        MISSING, 3, due=MISSING, note="refused without received date: valid (R3), not accepted")
    add("refused", "not_accepted", "dai_tu", "000.00.21.H55-211229-9030", "1.001009",
        T(2021, 12, 29, 8, 0), 3, due=MISSING)
    add("submitted_not_accepted", "not_accepted", "tinh", "000.00.01.H55-221229-9031", "1.004227",
        MISSING, 1, due=MISSING, channel="online", note="status 1 without received date: valid")
    add("submitted_not_accepted", "not_accepted", "dong_hy", "H55.23-221230-9032", "1.001193",
        T(2022, 12, 30, 20, 0), 1, due=MISSING, channel="online")
    add("submitted_not_accepted", "not_accepted", "dai_tu", "000.00.21.H55-220808-9033", "1.004837",
        T(2022, 8, 8, 21, 0), 1, due=MISSING, channel="online")

    # --- early / on time / late ------------------------------------------------------------
    add("on_time", "resolved_on_time/period", "tinh", "000.00.01.H55-220708-9034", "1.001612",
        T(2022, 7, 8, 8, 0), 9, due=T(2022, 7, 15, 17, 0), finished=T(2022, 7, 15, 17, 45),
        versions=[(2, {})], note="45 minutes after due, same day: on time by day")
    add("on_time", "resolved_on_time/period", "phu_binh", "H55.22-220711-9035", "2.000748",
        T(2022, 7, 11, 8, 0), 9, due=D(2022, 7, 15), finished=T(2022, 7, 15, 16, 30))
    add("on_time", "resolved_on_time/period", "tinh", "000.00.01.H55-221226-9036", "2.000488",
        T(2022, 12, 26, 8, 0), 9, due=T(2022, 12, 31, 17, 0), finished=T(2022, 12, 31, 23, 59, 59),
        note="finished at the last second of the period")
    add("early", "resolved_early/period", "dai_tu", "000.00.21.H55-220803-9037", "1.001757",
        T(2022, 8, 3, 8, 0), 9, due=T(2022, 8, 10, 17, 0), finished=T(2022, 8, 9, 18, 0))
    add("early", "resolved_early/period", "tinh", "000.00.01.H55-220301-9038", "1.000105",
        T(2022, 3, 1, 8, 0), 10, due=T(2022, 3, 10, 17, 0), finished=T(2022, 3, 5, 10, 0),
        returned=T(2022, 3, 25, 10, 0), versions=[(0, {})],
        note="returned after due, but the end instant is the finished one")
    add("late", "resolved_late/period", "dong_hy", "H55.23-220905-9039", "1.001009",
        T(2022, 9, 5, 8, 0), 9, due=D(2022, 9, 9), finished=T(2022, 9, 10, 8, 0))
    add("late", "resolved_late/period", "tinh", "000.00.01.H55-220502-9040", "1.004227",
        T(2022, 5, 2, 8, 0), 10, due=T(2022, 5, 9, 17, 0), finished=MISSING, returned=T(2022, 5, 12, 9, 0),
        versions=[(0, {})], note="no NgayKetThucXuLy: end = NgayTra")

    # --- in progress at the end of the period ---------------------------------------------
    add("in_progress_within", "in_progress_within/period", "tinh", "000.00.01.H55-221220-9041", "1.009994",
        T(2022, 12, 20, 8, 0), 4, due=T(2023, 1, 5, 17, 0))
    add("in_progress_within", "in_progress_within/period", "dong_hy", "H55.23-221228-9042", "1.001757",
        T(2022, 12, 28, 8, 0), 2, due=D(2023, 1, 6))
    add("in_progress_within", "in_progress_within/period", "tinh", "000.00.01.H55-221219-9043", "1.002804",
        T(2022, 12, 19, 8, 0), 4, due=T(2022, 12, 31, 17, 0), note="due on the last day of the period")
    add("in_progress_overdue", "in_progress_overdue/period", "dai_tu", "000.00.21.H55-221110-9044", "1.004883",
        T(2022, 11, 10, 8, 0), 4, due=T(2022, 11, 25, 17, 0))
    add("in_progress_overdue", "in_progress_overdue/period", "phu_binh", "H55.22-221003-9045", "2.002226",
        T(2022, 10, 3, 8, 0), 6, due=D(2022, 10, 15), versions=[(1, {})])
    add("in_progress_overdue", "in_progress_overdue/period", "tinh", "000.00.01.H55-221215-9046", "1.010012",
        T(2022, 12, 15, 8, 0), 2, due=T(2022, 12, 30, 17, 0))
    add("resolved_after_to", "in_progress_within/period", "tinh", "000.00.01.H55-221222-9047", "1.004227",
        T(2022, 12, 22, 8, 0), 10, due=T(2023, 1, 4, 17, 0), finished=T(2023, 1, 3, 10, 0),
        returned=T(2023, 1, 4, 9, 0))
    add("resolved_after_to", "in_progress_overdue/period", "dai_tu", "000.00.21.H55-221201-9048", "1.003003",
        T(2022, 12, 1, 8, 0), 9, due=T(2022, 12, 15, 17, 0), finished=T(2023, 1, 4, 10, 0))
    add("resolved_after_to", "in_progress_overdue/period", "phu_binh", "H55.22-221220-9049", "1.004883",
        T(2022, 12, 20, 8, 0), 9, due=D(2022, 12, 30), finished=T(2023, 1, 2, 10, 0))
    add("resolved_after_to", "in_progress_within/period", "tinh", "000.00.01.H55-221228-9050", "1.001612",
        T(2022, 12, 28, 8, 0), 9, due=T(2023, 1, 2, 17, 0), finished=T(2023, 1, 1, 0, 0, 0),
        note="finished at 2023-01-01 00:00:00, the first instant after the period")

    # --- period boundaries -----------------------------------------------------------------
    add("received_boundary", "resolved_early/period", "tinh", "000.00.01.H55-220101-9051", "1.002804",
        T(2022, 1, 1, 0, 0, 0), 10, due=T(2022, 1, 10, 17, 0), finished=T(2022, 1, 5, 10, 0),
        returned=T(2022, 1, 6, 10, 0), versions=[(0, {})], note="received at the first instant of the period")
    add("received_boundary", "resolved_on_time/carried", "tinh", "000.00.01.H55-211231-9052", "1.002804",
        T(2021, 12, 31, 23, 59, 59), 10, due=T(2022, 1, 7, 17, 0), finished=T(2022, 1, 7, 10, 0),
        returned=T(2022, 1, 8, 10, 0), versions=[(0, {})], note="received at the last second before the period")
    add("received_boundary", "out_of_scope", "dai_tu", "000.00.21.H55-230101-9053", "1.001009",
        T(2023, 1, 1, 0, 0, 0), 4, due=T(2023, 1, 15, 17, 0), note="received at the first instant after the period: kept, in no table")
    add("received_boundary", "resolved_early/period", "dai_tu", "000.00.21.H55-220101-9054", "1.004873",
        Raw("2021-12-31T17:30:00Z"), 9, due=Raw("2022-01-07T17:00:00+07:00"), finished=Raw("2022-01-03T09:15:00+07:00"),
        note="ISO 8601 with offsets: 17:30 UTC on 31/12 is 00:30 on 01/01 local")
    add("received_boundary", "in_progress_within/period", "phu_binh", "H55.22-221231-9055", "1.001193",
        T(2022, 12, 31, 23, 59, 59), 2, due=D(2023, 1, 6), note="received at the last second of the period")

    # --- channels and return -------------------------------------------------------------
    add("postal_submission", "resolved_early/period", "tinh", "000.00.01.H55-220315-9056", "2.001157",
        T(2022, 3, 15, 8, 0), 10, due=T(2022, 3, 29, 17, 0), finished=T(2022, 3, 25, 10, 0),
        returned=T(2022, 3, 26, 10, 0), channel="postal", versions=[(0, {})])
    add("postal_submission", "resolved_early/period", "phu_binh", "H55.22-220316-9057", "1.003003",
        T(2022, 3, 16, 8, 0), 9, due=D(2022, 3, 30), finished=T(2022, 3, 28, 10, 0), channel="postal",
        versions=[(0, {})])
    add("postal_both", "resolved_on_time/period", "dong_hy", "H55.23-220420-9058", "1.004883",
        T(2022, 4, 20, 8, 0), 10, due=D(2022, 4, 29), finished=T(2022, 4, 29, 10, 0),
        returned=T(2022, 4, 30, 10, 0), channel="postal", ret="postal",
        note="submitted and returned by post: one postal dossier")
    add("postal_return", "resolved_early/period", "tinh", "000.00.01.H55-220520-9059", "1.000105",
        T(2022, 5, 20, 8, 0), 10, due=T(2022, 6, 3, 17, 0), finished=T(2022, 5, 30, 10, 0),
        returned=T(2022, 6, 1, 10, 0), channel="online", ret="postal", versions=[(0, {})],
        note="online and returned by post: online column, counts as postal")
    add("postal_return", "resolved_early/period", "dai_tu", "000.00.21.H55-220607-9060", "1.004883",
        T(2022, 6, 7, 8, 0), 10, due=T(2022, 6, 21, 17, 0), finished=T(2022, 6, 15, 10, 0),
        returned=T(2022, 6, 16, 10, 0), ret="postal")
    add("postal_return", "resolved_early/period", "phu_binh", "H55.22-220912-9061", "2.000635",
        T(2022, 9, 12, 8, 0), 10, due=D(2022, 9, 20), finished=T(2022, 9, 15, 10, 0),
        returned=T(2022, 9, 16, 10, 0), ret="postal")
    add("online", "resolved_early/period", "phu_binh", "H55.22-220914-9062", "2.002226",
        T(2022, 9, 14, 8, 0), 9, due=D(2022, 9, 21), finished=T(2022, 9, 16, 10, 0), channel="online_alias",
        note="igate channel written `online` (an alias in the dialect map)")
    add("online", "resolved_early/period", "dai_tu", "000.00.21.H55-221005-9063", "1.001193",
        T(2022, 10, 5, 8, 0), 10, due=T(2022, 10, 10, 17, 0), finished=T(2022, 10, 6, 10, 0),
        returned=T(2022, 10, 6, 14, 0), channel="online")
    add("return_missing", "resolved_early/period", "tinh", "000.00.01.H55-220622-9064", "1.003622",
        T(2022, 6, 22, 8, 0), 9, due=T(2022, 7, 6, 17, 0), finished=T(2022, 6, 30, 10, 0), ret=MISSING,
        versions=[(0, {})], note="no HinhThuc: return method unknown, not postal (R2)")
    add("channel_missing", "resolved_early/period", "dai_tu", "000.00.21.H55-220519-9065", "2.002226",
        T(2022, 5, 19, 8, 0), 9, due=T(2022, 5, 26, 17, 0), finished=T(2022, 5, 24, 10, 0), channel=MISSING)
    add("channel_missing", "resolved_early/period", "dai_tu", "000.00.21.H55-220520-9066", "2.002226",
        T(2022, 5, 20, 8, 0), 9, due=T(2022, 5, 27, 17, 0), finished=T(2022, 5, 24, 10, 0), channel=Raw(""),
        note="empty KenhThucHien: in person")
    add("channel_missing", "resolved_early/period", "dong_hy", "H55.23-220606-9067", "1.003596",
        T(2022, 6, 6, 8, 0), 9, due=D(2022, 6, 20), finished=T(2022, 6, 10, 10, 0), channel=MISSING)

    # --- digitisation ------------------------------------------------------------------------
    add("digitised_flag", "resolved_early/period", "tinh", "000.00.01.H55-220701-9068", "1.001098",
        T(2022, 7, 1, 8, 0), 9, due=T(2022, 7, 15, 17, 0), finished=T(2022, 7, 10, 10, 0), digitised=True,
        attachments=[False, False], versions=[(1, {})])
    add("digitised_attachment", "resolved_early/period", "tinh", "000.00.01.H55-220705-9069", "1.001098",
        T(2022, 7, 5, 8, 0), 9, due=T(2022, 7, 19, 17, 0), finished=T(2022, 7, 10, 10, 0), digitised=False,
        attachments=[False, True], versions=[(1, {})], note="record flag 0, one attachment DuocSoHoa 1")
    add("digitised_attachment", "resolved_early/period", "phu_binh", "H55.22-221202-9070", "1.001757",
        T(2022, 12, 2, 8, 0), 9, due=D(2022, 12, 12), finished=T(2022, 12, 8, 10, 0), digitised=MISSING,
        attachments=[True], note="no @soHoa on the record (default khong), tep soHoa=co")
    add("digitised_attachment", "resolved_early/period", "dai_tu", "000.00.21.H55-221205-9071", "1.004494",
        T(2022, 12, 5, 8, 0), 9, due=T(2022, 12, 12, 17, 0), finished=T(2022, 12, 8, 10, 0), digitised=MISSING,
        attachments=[False, True])
    add("not_digitised", "resolved_early/period", "dai_tu", "000.00.21.H55-221206-9072", "1.004494",
        T(2022, 12, 6, 8, 0), 9, due=T(2022, 12, 13, 17, 0), finished=T(2022, 12, 8, 10, 0), digitised=MISSING,
        note="no flag, no attachment")
    add("digitisation_effective_boundary", "resolved_early/period", "tinh", "000.00.01.H55-220531-9073", "1.010012",
        T(2022, 5, 31, 23, 0), 9, due=T(2022, 6, 10, 17, 0), finished=T(2022, 6, 6, 10, 0), digitised=False,
        versions=[(0, {})], note="received the day before the province's effective date: not in the digitisation line")
    add("digitisation_effective_boundary", "resolved_early/period", "tinh", "000.00.01.H55-220601-9074", "1.010012",
        T(2022, 6, 1, 0, 0), 9, due=T(2022, 6, 10, 17, 0), finished=T(2022, 6, 6, 10, 0), digitised=False,
        versions=[(0, {})], note="received on the effective date: in the digitisation line, not digitised")

    # --- duplicates ------------------------------------------------------------------------
    add("dup_across_files", "resolved_early/period", "tinh", "000.00.01.H55-220620-9075", "1.004227",
        T(2022, 6, 20, 8, 0), 10, due=T(2022, 7, 4, 17, 0), finished=T(2022, 7, 1, 10, 0),
        returned=T(2022, 7, 2, 10, 0),
        versions=[(0, {"status": 4, "finished": MISSING, "returned": MISSING}), (1, {})],
        note="status 4 in the July export, 10 in the October one")
    add("dup_across_files", "resolved_early/period", "phu_binh", "H55.22-220725-9076", "1.003003",
        T(2022, 7, 25, 8, 0), 10, due=D(2022, 8, 8), finished=T(2022, 8, 3, 10, 0), returned=T(2022, 8, 4, 10, 0),
        versions=[(0, {"status": 2, "finished": MISSING, "returned": MISSING}), (1, {})])
    add("dup_across_files", "in_progress_overdue/period", "tinh", "000.00.01.H55-220905-9077", "1.009994",
        T(2022, 9, 5, 8, 0), 4, due=T(2022, 9, 19, 17, 0),
        versions=[(1, {"status": 9, "finished": T(2022, 9, 20, 10, 0)}), (2, {})],
        note="finished in October's export, reopened (status 4) in January's: the latest export wins")
    add("dup_case_of_id", "resolved_early/period", "tinh", "000.00.01.H55-220610-9078", "2.000488",
        T(2022, 6, 10, 8, 0), 10, due=T(2022, 6, 24, 17, 0), finished=T(2022, 6, 20, 10, 0),
        returned=T(2022, 6, 21, 10, 0),
        versions=[(0, {"id": "000.00.01.h55-220610-9078", "status": 4, "finished": MISSING, "returned": MISSING}),
                  (1, {"id": " 000.00.01.H55-220610-9078 "})],
        note="written lower-case in July, with spaces in October: one dossier (R1)")
    add("newest_rejected", "in_progress_overdue/period", "tinh", "000.00.01.H55-220926-9079", "1.001612",
        T(2022, 9, 26, 8, 0), 4, due=T(2022, 10, 20, 17, 0),
        versions=[(1, {}), (2, {"status": 10, "finished": Raw("20221315100000"), "returned": T(2022, 10, 25, 9, 0)})],
        note="January's version has a bad NgayKetThucXuLy (rejected); October's status 4 counts (R5)")
    add("newest_rejected", "in_progress_overdue/period", "phu_binh", "H55.22-220704-9080", "1.004883",
        T(2022, 7, 4, 8, 0), 4, due=D(2022, 7, 18),
        versions=[(0, {}), (1, {"status": Raw("dang_giai_quyet")})],
        note="January's trangThai is not in the map (rejected); August's dang_xu_ly counts (R5)")
    add("dup_within_file", "resolved_early/period", "dai_tu", "000.00.21.H55-220412-9081", "1.001757",
        T(2022, 4, 12, 8, 0), 10, due=T(2022, 4, 26, 17, 0), finished=T(2022, 4, 20, 10, 0),
        returned=T(2022, 4, 21, 10, 0),
        versions=[(-1, {"status": 4, "finished": MISSING, "returned": MISSING}), (-1, {})],
        note="twice in dai_tu_20230110.xml: the later position wins")
    add("dup_within_file", "resolved_late/period", "dong_hy", "H55.23-220418-9082", "1.004494",
        T(2022, 4, 18, 8, 0), 10, due=D(2022, 4, 25), finished=T(2022, 4, 27, 10, 0), returned=T(2022, 4, 28, 9, 0),
        versions=[(0, {"status": 9, "returned": MISSING}), (0, {})])
    add("dup_within_file_newest_rejected", "resolved_on_time/period", "dai_tu", "000.00.21.H55-220425-9083", "1.001757",
        T(2022, 4, 25, 8, 0), 9, due=T(2022, 5, 9, 17, 0), finished=T(2022, 5, 9, 10, 0),
        versions=[(-1, {}), (-1, {"proc": MISSING, "status": 10, "returned": T(2022, 5, 10, 9, 0)})],
        note="the later copy in the same file has no MaTTHC (rejected): the earlier one counts (R5)")

    # --- catalogue, names, codes ------------------------------------------------------------
    add("unknown_procedure", "resolved_early/period", "tinh", "000.00.01.H55-220405-9084", "2.999901",
        T(2022, 4, 5, 8, 0), 10, due=T(2022, 4, 19, 17, 0), finished=T(2022, 4, 12, 10, 0),
        returned=T(2022, 4, 13, 10, 0), name=MISSING, field=MISSING, agency="000.00.13.H55", versions=[(0, {})],
        note="no TenTTHC, no MaLinhVuc: field key \"\"")
    add("unknown_procedure", "resolved_on_time/period", "tinh", "000.00.01.H55-220510-9085", "2.999901",
        T(2022, 5, 10, 8, 0), 9, due=T(2022, 5, 24, 17, 0), finished=T(2022, 5, 24, 10, 0),
        name=unicodedata.normalize("NFD", "Thủ tục thí điểm cấp phép hoạt động ngoài giờ"), field="KD",
        agency="000.00.13.H55", versions=[(0, {})],
        note="name in NFD; the smallest id with a name: procedure_name = its NFC form (R23)")
    add("unknown_procedure", "resolved_early/period", "tinh", "000.00.01.H55-220511-9086", "2.999901",
        T(2022, 5, 11, 8, 0), 9, due=T(2022, 5, 25, 17, 0), finished=T(2022, 5, 20, 10, 0),
        name="Tên khác của thủ tục thí điểm", field="KD", agency="000.00.13.H55", versions=[(0, {})])
    add("unknown_procedure", "resolved_early/period", "phu_binh", "H55.22-220823-9087", " h55-tt-0007 ",
        T(2022, 8, 23, 8, 0), 9, due=D(2022, 8, 30), finished=T(2022, 8, 25, 10, 0), name=MISSING, field="tp",
        note="unknown code, lower-case with spaces")
    add("unknown_procedure", "resolved_early/period", "dong_hy", "H55.23-220824-9088", "H55-TT-0007",
        T(2022, 8, 24, 8, 0), 10, due=D(2022, 8, 31), finished=T(2022, 8, 26, 10, 0), returned=T(2022, 8, 26, 15, 0),
        name='Thủ tục liên thông "một cửa" & trả kết quả tại nhà', field="TP",
        note="name with quotes and &: CSV quoting")
    add("unknown_procedure", "out_of_scope", "dai_tu", "000.00.21.H55-230103-9089", "9.990001",
        T(2023, 1, 3, 8, 0), 4, due=T(2023, 1, 10, 17, 0), name="Thủ tục mới công bố năm 2023",
        note="kept but received after `to`: warned about, in no table")
    add("nfd_name", "resolved_early/period", "tinh", "000.00.01.H55-220815-9090", "1.009994",
        T(2022, 8, 15, 8, 0), 9, due=T(2022, 8, 29, 17, 0), finished=T(2022, 8, 22, 10, 0),
        name=unicodedata.normalize("NFD", CAT["1.009994"][1]), versions=[(1, {})])
    add("nfd_name", "resolved_early/period", "phu_binh", "H55.22-220816-9091", "1.004883",
        T(2022, 8, 16, 8, 0), 9, due=D(2022, 8, 26), finished=T(2022, 8, 22, 10, 0),
        name=unicodedata.normalize("NFD", CAT["1.004883"][1]))
    add("nfd_name", "resolved_early/period", "dong_hy", "H55.23-220817-9092", "1.003596",
        T(2022, 8, 17, 8, 0), 9, due=D(2022, 8, 26), finished=T(2022, 8, 22, 10, 0),
        name=unicodedata.normalize("NFD", CAT["1.003596"][1]))
    add("code_case_space", "resolved_early/period", "tinh", "000.00.01.H55-220818-9093", "\n      1.004227\n    ",
        T(2022, 8, 18, 8, 0), 9, due=T(2022, 9, 1, 17, 0), finished=T(2022, 8, 25, 10, 0), agency=" 000.00.12.h55 ",
        field=" mt", versions=[(1, {})], note="MaTTHC on its own lines, agency and field lower-case with spaces")
    add("code_case_space", "resolved_early/period", "dai_tu", "000.00.21.H55-220819-9094", "t-tng-284916-tt",
        T(2022, 8, 19, 8, 0), 9, due=T(2022, 8, 31, 17, 0), finished=T(2022, 8, 25, 10, 0),
        note="lower-case code of a catalogue procedure written lower-case with spaces in the catalogue")
    add("code_case_space", "resolved_early/period", "phu_binh", "H55.22-220822-9095", "1.001193 ",
        T(2022, 8, 22, 8, 0), Raw(" DA_XU_LY "), due=D(2022, 8, 26), finished=T(2022, 8, 24, 10, 0), field="ht",
        agency="000.22.01.h55", note="status slug upper-case with spaces (codes compare case-insensitively)")
    add("no_agency", "resolved_early/period", "tinh", "000.00.01.H55-220906-9096", "1.002804",
        T(2022, 9, 6, 8, 0), 9, due=T(2022, 9, 20, 17, 0), finished=T(2022, 9, 12, 10, 0), agency=MISSING,
        versions=[(1, {})], note="no DonViXuLy: agency = source name `tinh`, warning (R16)")
    add("no_agency", "resolved_on_time/period", "dong_hy", "H55.23-220907-9097", "1.001009",
        T(2022, 9, 7, 8, 0), 9, due=D(2022, 9, 14), finished=T(2022, 9, 14, 10, 0), agency=Raw("  "),
        note="coQuan whitespace only: missing (R1), agency = `dong_hy`")
    add("no_due_date", "resolved_on_time/period", "tinh", "000.00.01.H55-220321-9098", "1.004227",
        T(2022, 3, 21, 8, 0), 10, due=MISSING, finished=T(2022, 4, 20, 10, 0), returned=T(2022, 4, 21, 10, 0),
        versions=[(0, {})], note="resolved without due date: on time + warning")
    add("no_due_date", "in_progress_within/period", "phu_binh", "H55.22-221014-9099", "1.003003",
        T(2022, 10, 14, 8, 0), 4, due=MISSING, note="in progress without due date: within + warning")
    add("no_due_date", "resolved_late/period", "dai_tu", "000.00.21.H55-221017-9100", "1.001009",
        T(2022, 10, 17, 8, 0), 9, due=MISSING, finished=T(2022, 10, 30, 10, 0),
        supps=[{"req": T(2022, 10, 18, 9, 0), "ans": T(2022, 10, 19, 9, 0)},
               {"req": T(2022, 10, 21, 9, 0), "ans": T(2022, 10, 22, 9, 0)}],
        note="no due date but two requests: late, no warning (R12 order)")
    add("due_same_day_before_received", "resolved_on_time/period", "dai_tu", "000.00.21.H55-221011-9101", "2.000748",
        T(2022, 10, 11, 9, 0), 9, due=T(2022, 10, 11, 8, 0), finished=T(2022, 10, 11, 16, 0),
        note="due 08:00, received 09:00 the same day: not a reject, days compare (R3)")
    add("date_formats", "resolved_early/period", "dai_tu", "000.00.21.H55-220714-9102", "1.001193",
        Raw("14/07/2022 08:15:00"), 10, due=Raw("20/07/2022"), finished=Raw("2022-07-18T10:00:00"),
        returned=Raw(" 20220719090000 "),
        note="dd/MM/yyyy HH:mm:ss, date-only due (end of day), ISO without offset, padded value")

    # --- rejects (one problem each) ------------------------------------------------------------
    add("reject_missing_id", "rejected:missing dossier id", "tinh", Raw("   "), "1.004227",
        T(2022, 11, 2, 8, 0), 9, due=T(2022, 11, 9, 17, 0), finished=T(2022, 11, 7, 10, 0))
    add("reject_missing_id", "rejected:missing dossier id", "dong_hy", MISSING, "1.001009",
        T(2022, 11, 3, 8, 0), 9, due=D(2022, 11, 10), finished=T(2022, 11, 7, 10, 0))
    add("reject_missing_procedure", "rejected:missing procedure code", "dai_tu", "000.00.21.H55-221104-9103", MISSING,
        T(2022, 11, 4, 8, 0), 9, due=T(2022, 11, 11, 17, 0), finished=T(2022, 11, 7, 10, 0))
    add("reject_missing_procedure", "rejected:missing procedure code", "phu_binh", "H55.22-221105-9104", Raw(""),
        T(2022, 11, 5, 8, 0), 9, due=D(2022, 11, 12), finished=T(2022, 11, 7, 10, 0))
    add("reject_missing_status", "rejected:missing status", "tinh", "000.00.01.H55-221106-9105", "1.009994",
        T(2022, 11, 6, 8, 0), MISSING, due=T(2022, 11, 20, 17, 0))
    add("reject_no_received", "rejected:accepted dossier without received date", "phu_binh", "H55.22-221107-9106",
        "1.004883", MISSING, 9, due=D(2022, 11, 20), finished=T(2022, 11, 10, 10, 0))
    add("reject_bad_date", "rejected:unparseable date: '20220230090000'", "tinh", "000.00.01.H55-220228-9107",
        "1.001612", Raw("20220230090000"), 9, due=T(2022, 3, 7, 17, 0), finished=T(2022, 3, 4, 10, 0),
        versions=[(0, {})])
    add("reject_bad_date", "rejected:unparseable date: '31/04/2022'", "dong_hy", "H55.23-220420-9108", "2.000748",
        T(2022, 4, 20, 8, 0), 9, due=Raw("31/04/2022"), finished=T(2022, 4, 25, 10, 0))
    add("reject_bad_date", "rejected:unparseable date: '2022-06-31'", "dai_tu", "000.00.21.H55-220620-9109",
        "1.001009", T(2022, 6, 20, 8, 0), 9, due=T(2022, 7, 4, 17, 0), finished=T(2022, 7, 1, 10, 0),
        supps=[{"req": T(2022, 6, 22, 9, 0), "ans": Raw("2022-06-31")}], note="bad date inside a supplement request (R3)")
    add("reject_bad_date", "rejected:unparseable date: '32/01/2022 08:00:00'", "phu_binh", "H55.22-220201-9110",
        "2.002226", Raw("32/01/2022 08:00:00"), 1, due=MISSING, channel="online",
        note="status 1 with an unparseable date is rejected too (R3)")
    add("reject_code_not_in_map", "rejected:code not in dialect map: '4'", "dai_tu", "000.00.21.H55-220707-9111",
        "2.002226", T(2022, 7, 7, 8, 0), 9, due=T(2022, 7, 14, 17, 0), finished=T(2022, 7, 12, 10, 0),
        channel=Raw("4"))
    add("reject_code_not_in_map", "rejected:code not in dialect map: 'zalo'", "dong_hy", "H55.23-220708-9112",
        "1.001193", T(2022, 7, 8, 8, 0), 9, due=D(2022, 7, 12), finished=T(2022, 7, 11, 10, 0), channel=Raw("zalo"))
    add("reject_code_not_in_map", "rejected:code not in dialect map: 'x'", "tinh", "000.00.01.H55-221109-9113",
        "1.000105", T(2022, 11, 9, 8, 0), 9, due=T(2022, 11, 23, 17, 0), finished=T(2022, 11, 15, 10, 0),
        digitised=Raw("x"), note="a flag outside its 0/1 map (R2)")
    add("reject_due_before_received", "rejected:due date before received date", "tinh", "000.00.01.H55-220510-9114",
        "1.001098", T(2022, 5, 10, 9, 0), 9, due=T(2022, 5, 9, 17, 0), finished=T(2022, 5, 12, 10, 0),
        versions=[(0, {})])
    add("reject_due_before_received", "rejected:due date before received date", "phu_binh", "H55.22-220511-9115",
        "2.000635", T(2022, 5, 11, 9, 0), 9, due=D(2022, 5, 10), finished=T(2022, 5, 12, 10, 0), versions=[(0, {})])
    add("reject_resolved_without_end", "rejected:resolved status without end instant", "dai_tu",
        "000.00.21.H55-221111-9116", "1.004883", T(2022, 11, 11, 8, 0), 10, due=T(2022, 11, 25, 17, 0))
    add("reject_resolved_without_end", "rejected:resolved status without end instant", "dong_hy",
        "H55.23-221112-9117", "2.000748", T(2022, 11, 12, 8, 0), 9, due=D(2022, 11, 19))
    return P


# ---------------------------------------------------------------------------------------------
# Assembly
# ---------------------------------------------------------------------------------------------

def write_bytes(path, data: bytes):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as fh:
        fh.write(data)


def gz(data: bytes) -> bytes:
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as g:
        g.write(data)
    return buf.getvalue()


def csv_cell(c):
    return '"' + c.replace('"', '""') + '"' if any(ch in c for ch in ',"\r\n') else c


def write_catalogue(path):
    lines = ["code,name,field,level,online,postal"]
    for row in CATALOGUE:
        lines.append(",".join(csv_cell(c) for c in row))
    write_bytes(path, ("\n".join(lines) + "\n").encode("utf-8"))


def main():
    rng = random.Random(SEED)
    people = People(rng)
    counts = {"tinh": 110, "dai_tu": 60, "phu_binh": 70, "dong_hy": 60}
    specs = []
    for source in ORDER:
        specs += bulk(rng, source, counts[source], 1)
    plants = planted()
    for s in specs + plants:
        s.person = people.person()
        s.person["name_written"] = s.person["name"]
        if s.case == "nfd_name":
            s.person["name_written"] = unicodedata.normalize("NFD", s.person["name"])

    # Versions per export file: (sort key, text).
    files = {(src, k): [] for src in ORDER for k in range(len(SOURCES[src]["exports"]))}
    where = {}  # planted id -> [file names]
    for s in specs:
        for k, st in lifecycle_versions(s):
            files[(s.source, k)].append(((as_instant(s.received) or T(2000, 1, 1)), s.id, 0, st))
    for n, s in enumerate(plants):
        versions = s.versions or [(len(SOURCES[s.source]["exports"]) - 1, {})]
        for j, (k, over) in enumerate(versions):
            k = k % len(SOURCES[s.source]["exports"])
            st = s.copy(**over)
            key_time = as_instant(s.received) or T(2022, 11, 1)
            files[(s.source, k)].append((key_time, s.id if isinstance(s.id, str) else "", j, st))
            where.setdefault(n, []).append(SOURCES[s.source]["exports"][k][0])

    personal = set()
    for (source, k), items in files.items():
        src = SOURCES[source]
        items.sort(key=lambda x: (x[0], x[1], x[2]))
        body = ""
        for _t, _id, _j, st in items:
            body += dvcqg_record(st, people) if src["dialect"] == "dvcqg" else igate_record(st, people)
            for key in ("name", "id", "phone", "email", "address", "other"):
                personal.add(st.person[key])
        name, export = src["exports"][k]
        if src["dialect"] == "dvcqg":
            text = dvcqg_file(src["unit"], export, body, doctype=(source == "dai_tu"))
        else:
            unit_name = {"phu_binh": "UBND huyện Phú Bình", "dong_hy": "UBND huyện Đồng Hỷ"}[source]
            text = igate_file(src["unit"], unit_name, export, body)
        data = text.encode("utf-8")
        write_bytes(os.path.join(DEMO, source, name), gz(data) if name.endswith(".gz") else data)

    write_catalogue(os.path.join(DEMO, "catalogue.csv"))
    write_bytes(os.path.join(DEMO, "personal-values.txt"),
                ("".join(v + "\n" for v in sorted(personal))).encode("utf-8"))

    # Planted cases: machine-readable and a table.
    rows = []
    for n, s in enumerate(plants):
        rows.append({"case": s.case, "source": s.source,
                     "dossier_id": (s.id.strip().upper() if isinstance(s.id, str) and s.id is not MISSING and s.id.strip() else ""),
                     "files": where[n], "expect": s.expect, "note": s.note})
    write_bytes(os.path.join(DEMO, "planted.json"),
                (json.dumps(rows, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
    md = ["# Planted dossiers in the demo fixtures",
          "",
          "Generated by `Fixtures/tools/make_demo.py`; `Fixtures/tools/check_planted.py` checks every",
          "`expect` against the oracle. Expectation = class/scope as in the oracle's `dossiers.csv`",
          "(`period` = received in the period, `carried` = carried over), `not_accepted`, `out_of_scope`",
          "(kept, in no table) or `rejected:<reason>`.",
          "",
          "| case | source | dossier id | file(s) | expect | note |",
          "|---|---|---|---|---|---|"]
    for r in rows:
        md.append(f"| {r['case']} | {r['source']} | `{r['dossier_id']}` | {', '.join(r['files'])} | "
                  f"{r['expect']} | {r['note'].replace('|', '/')} |")
    write_bytes(os.path.join(DEMO, "PLANTED.md"), ("\n".join(md) + "\n").encode("utf-8"))

    make_broken(rng, people)
    make_bad_catalogue()


# ---------------------------------------------------------------------------------------------
# Broken files (R8) and a bad catalogue (R22)
# ---------------------------------------------------------------------------------------------

def make_broken(rng, people):
    def two_records(prefix):
        out = ""
        for i in range(2):
            s = fill_defaults(Spec("dai_tu", f"000.00.24.H55-2205{10 + i:02d}-{prefix}{i + 1}", "1.001009",
                                   T(2022, 5, 10 + i, 8, 0), 10, due=T(2022, 5, 20, 17, 0),
                                   finished=T(2022, 5, 15, 10, 0), returned=T(2022, 5, 16, 9, 0),
                                   channel="online", agency="000.00.24.H55"))
            s.person = people.person()
            s.person["name_written"] = s.person["name"]
            out += dvcqg_record(s, people)
        return out

    export = T(2022, 12, 1, 2, 0)
    unit = "000.00.24.H55"
    # Cut in the middle of the third record: not well-formed.
    whole = dvcqg_file(unit, export, two_records("M") + two_records("N"))
    cut = whole[: whole.index("<NgayHenTra>", whole.index("-N1<"))] + "<NgayHenTra>2022"
    write_bytes(os.path.join(BROKEN, "malformed.xml"), cut.encode("utf-8"))
    # A gzip stream cut off half-way.
    full = gz(dvcqg_file(unit, export, two_records("T") + two_records("U")).encode("utf-8"))
    write_bytes(os.path.join(BROKEN, "truncated.xml.gz"), full[: len(full) // 2])
    # External entity (XXE).
    xxe = dvcqg_file(unit, export, two_records("X")).replace(
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE DanhSachHoSo [\n'
        '  <!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>\n', 1)
    first_name = xxe.index("<ChuHoSo>") + len("<ChuHoSo>")
    xxe = xxe[:first_name] + "&xxe;" + xxe[xxe.index("</ChuHoSo>", first_name):]
    write_bytes(os.path.join(BROKEN, "xxe.xml"), xxe.encode("utf-8"))
    # Billion laughs.
    ents = ['  <!ENTITY lol "lol">']
    for i in range(1, 10):
        prev = "lol" if i == 1 else f"lol{i - 1}"
        ents.append(f'  <!ENTITY lol{i} "' + f"&{prev};" * 10 + '">')
    bl = dvcqg_file(unit, export, two_records("B")).replace(
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE DanhSachHoSo [\n' + "\n".join(ents) + "\n]>\n", 1)
    first_name = bl.index("<ChuHoSo>") + len("<ChuHoSo>")
    bl = bl[:first_name] + "&lol9;" + bl[bl.index("</ChuHoSo>", first_name):]
    write_bytes(os.path.join(BROKEN, "billion_laughs.xml"), bl.encode("utf-8"))
    # External DTD.
    ext = dvcqg_file(unit, export, two_records("D")).replace(
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE DanhSachHoSo SYSTEM "http://example.invalid/hoso.dtd">\n', 1)
    write_bytes(os.path.join(BROKEN, "external_dtd.xml"), ext.encode("utf-8"))
    # Root element other than the dialect's.
    wrong = dvcqg_file(unit, export, two_records("R")).replace("DanhSachHoSo", "DanhSachHoSoTraCuu")
    write_bytes(os.path.join(BROKEN, "wrong_root.xml"), wrong.encode("utf-8"))
    # Empty.
    write_bytes(os.path.join(BROKEN, "empty.xml"), b"")


def make_bad_catalogue():
    rows = CATALOGUE[:6] + [(" 1.004227", "Cấp giấy phép môi trường (bản trùng)", "MT", "province", "full", "yes")]
    lines = ["code,name,field,level,online,postal"] + [",".join(csv_cell(c) for c in r) for r in rows]
    write_bytes(os.path.join(ROOT, "pipelines", "bad-catalogue.csv"), ("\n".join(lines) + "\n").encode("utf-8"))


if __name__ == "__main__":
    main()
