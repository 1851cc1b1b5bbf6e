/// The report's CSS, inline in the page. System fonts only (with DejaVu Sans and Noto Sans, which
/// carry every Vietnamese letter, before the generic family); colours chosen to stay apart for
/// colour-blind readers (blue / orange) and to print. Below 640 px (a phone) the wide tables stack
/// each row into lines labelled with their column; in print (A4) tables wrap instead of
/// scrolling, charts one per row and never split from their title.
enum ReportStylesheet {
    static let css = """
        :root { --ink: #1d2733; --muted: #5b6775; --rule: #d5dbe2; --paper: #ffffff; --band: #f3f6f9;
          --met: #1f6fb4; --notmet: #e0792b; --plain: #7f8fa3; --target: #b3261e; }
        * { box-sizing: border-box; }
        body { margin: 0; background: var(--band); color: var(--ink);
          font: 15px/1.45 "Segoe UI", "Noto Sans", "DejaVu Sans", Roboto, Arial, system-ui, sans-serif; }
        .page-header, main, footer { max-width: 1180px; margin: 0 auto; padding: 0 20px; }
        .page-header { padding-top: 20px; padding-bottom: 4px; }
        h1 { font-size: 26px; margin: 0 0 4px; }
        h2 { font-size: 20px; margin: 0 0 8px; padding-bottom: 6px; border-bottom: 2px solid var(--rule); }
        h3 { font-size: 16px; margin: 20px 0 8px; }
        .meta { margin: 0 0 8px; color: var(--muted); }
        nav { font-size: 14px; }
        nav a { color: var(--met); margin-right: 14px; text-decoration: none; white-space: nowrap; }
        section { background: var(--paper); border: 1px solid var(--rule); border-radius: 8px; padding: 18px 20px; margin: 16px 0; }
        .intro, .note { color: var(--muted); margin: 0 0 12px; }
        .note { font-size: 13px; margin: 6px 0 0; }
        .kpis { display: grid; grid-template-columns: repeat(auto-fit, minmax(200px, 1fr)); gap: 12px; }
        .kpi { border: 1px solid var(--rule); border-top: 4px solid var(--plain); border-radius: 6px; padding: 10px 12px;
          display: flex; flex-direction: column; gap: 6px; }
        .kpi.met { border-top-color: var(--met); }
        .kpi.notmet { border-top-color: var(--notmet); }
        .kpi-name { font-size: 13.5px; font-weight: 600; min-height: 4.35em; }
        .kpi-value { font-size: 28px; font-weight: 700; line-height: 1.1; }
        .kpi-detail { font-size: 13px; color: var(--muted); }
        .kpi-detail span { display: block; white-space: nowrap; }
        .meter { position: relative; height: 10px; background: #e6ebf0; border-radius: 5px; }
        .meter .fill { position: absolute; left: 0; top: 0; bottom: 0; border-radius: 5px; background: var(--plain); }
        .kpi.met .meter .fill { background: var(--met); }
        .kpi.notmet .meter .fill { background: var(--notmet); }
        .meter .mark { position: absolute; top: -4px; bottom: -4px; width: 0; border-left: 2px solid var(--target); margin-left: -1px; }
        .badge { display: inline-block; font-size: 12px; font-weight: 700; line-height: 1; padding: 4px 7px; border-radius: 10px;
          vertical-align: middle; white-space: nowrap; }
        .badge.met { background: #dcebf7; color: #174f80; }
        .badge.notmet { background: #fbe6d6; color: #8a3f0a; }
        .badge.nodata { background: #eceff2; color: var(--muted); }
        table { border-collapse: collapse; width: 100%; font-size: 14px; }
        th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--rule); vertical-align: baseline; }
        thead th { background: var(--band); font-weight: 600; border-bottom: 2px solid var(--rule); }
        thead th:first-child { white-space: nowrap; }
        tr.part td:first-child { padding-left: 24px; }
        table.late td:nth-child(2) { min-width: 240px; }
        tfoot th, tfoot td { font-weight: 700; border-bottom: none; }
        .num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
        .code { font-family: "DejaVu Sans Mono", Consolas, monospace; font-size: 13px; white-space: nowrap; }
        .table-wrap { overflow-x: auto; }
        table.levels td .badge { margin-left: 4px; }
        .fraction { display: block; font-size: 12px; color: var(--muted); }
        .values { display: block; font-size: 12.5px; color: var(--muted); }
        .inline-bar { display: inline-block; height: 10px; background: var(--notmet); border-radius: 2px; margin-right: 8px; vertical-align: baseline; }
        .inline-bar.reject { background: var(--plain); }
        .charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(480px, 100%), 1fr)); gap: 14px; }
        .chart-card { margin: 0; border: 1px solid var(--rule); border-radius: 6px; padding: 10px 12px; }
        .chart-card figcaption { margin-bottom: 4px; }
        .chart-card .ratio { display: block; color: var(--muted); font-size: 13px; min-height: 2.9em; }
        .chart { display: block; width: 100%; height: auto; }
        .chart text { fill: var(--ink); }
        .chart .tick { fill: var(--muted); font-size: 11px; }
        .chart .note { fill: var(--muted); }
        .chart .omitted { fill: var(--muted); font-style: italic; }
        .chart .value { font-variant-numeric: tabular-nums; }
        .chart .grid { stroke: #e3e8ee; stroke-width: 1; }
        .chart .bar.met { fill: var(--met); }
        .chart .bar.notmet { fill: var(--notmet); }
        .chart .bar.plain { fill: var(--plain); }
        .chart .target { stroke: var(--target); stroke-width: 2; stroke-dasharray: 5 3; }
        .chart .target-label { fill: var(--target); font-weight: 600; }
        .trend-chart polyline { fill: none; stroke-width: 2.5; }
        .series.s1 polyline { stroke: #1f6fb4; } .series.s1 circle { fill: #1f6fb4; }
        .series.s2 polyline { stroke: #e0792b; } .series.s2 circle { fill: #e0792b; }
        .series.s3 polyline { stroke: #2e8b57; } .series.s3 circle { fill: #2e8b57; }
        .series.s4 polyline { stroke: #7b3fa0; } .series.s4 circle { fill: #7b3fa0; }
        .legend { font-size: 13px; color: var(--muted); margin: 0 0 10px; }
        .legend .swatch { display: inline-block; width: 14px; height: 10px; margin: 0 5px 0 14px; border-radius: 2px; vertical-align: baseline; }
        .legend .swatch:first-child, .legend .line:first-child { margin-left: 0; }
        .swatch.met { background: var(--met); } .swatch.notmet { background: var(--notmet); } .swatch.plain { background: var(--plain); }
        .swatch.target { width: 0; height: 14px; border-left: 2px dashed var(--target); border-radius: 0; vertical-align: middle; }
        .swatch.none { width: auto; height: auto; color: var(--ink); }
        .legend .line { display: inline-block; width: 18px; height: 0; border-top: 3px solid; margin: 0 5px 0 14px; vertical-align: middle; }
        .line.s1 { border-color: #1f6fb4; } .line.s2 { border-color: #e0792b; } .line.s3 { border-color: #2e8b57; } .line.s4 { border-color: #7b3fa0; }
        .accounting { display: flex; gap: 24px; align-items: flex-start; flex-wrap: wrap; margin-bottom: 12px; }
        table.balance { width: auto; min-width: min(380px, 100%); }
        .ok { color: #1d6b3a; } .problem { color: #a3330c; font-weight: 600; }
        ul.failed, ul.warnings { margin: 8px 0; padding-left: 20px; }
        footer { color: var(--muted); font-size: 13px; padding-bottom: 24px; }
        .banner { margin: 10px 0 6px; padding: 10px 14px; border: 2px solid #a3330c; border-radius: 8px; background: #fdf0e8; }
        .banner-title { margin: 0 0 4px; font-weight: 700; color: #a3330c; }
        .banner ul { margin: 0; padding-left: 20px; }
        .banner li { margin: 3px 0; overflow-wrap: anywhere; }
        .kpi-gap { font-size: 13px; font-weight: 600; color: #8a3f0a; }
        .kpi-change { font-size: 12.5px; color: var(--muted); }
        .kpi-change.up::before { content: "▲ "; color: #1d6b3a; }
        .kpi-change.down::before { content: "▼ "; color: #a3330c; }
        .gap, .change { display: block; font-size: 12px; color: var(--muted); }
        .gap { color: #8a3f0a; }
        td.nosource { color: var(--muted); font-style: italic; }
        .chart .rank, .chart .count { fill: var(--muted); font-variant-numeric: tabular-nums; }
        .too-few { overflow-wrap: anywhere; }
        .late-agency { margin: 0 0 14px; }
        .late-agency h3 { margin: 14px 0 2px; }
        .late-agency .note { margin: 0 0 6px; }
        .late-list { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(250px, 100%), 1fr)); gap: 4px 14px;
          margin: 0; padding: 0; list-style: none; font-size: 13px; }
        .late-list li { border-left: 3px solid var(--notmet); padding: 1px 0 1px 7px; overflow-wrap: anywhere; }
        .late-list li.overdue { border-left-color: #a3330c; }
        .late-list .code { display: block; white-space: normal; }
        .late-list .when { display: block; }
        .late-list li.overdue .when { color: #a3330c; }
        .late-list .where { display: block; color: var(--muted); font-size: 12px; }
        @media (max-width: 640px) {
          .page-header, main, footer { padding: 0 10px; }
          section { padding: 12px; }
          h1 { font-size: 21px; }
          .kpi-name { min-height: 0; }
          table.stack thead { display: none; }
          table.stack, table.stack tbody, table.stack tfoot, table.stack tr, table.stack th, table.stack td { display: block; width: 100%; }
          table.stack tr { border-bottom: 2px solid var(--rule); padding: 4px 0; }
          table.stack th, table.stack td { border: none; padding: 1px 0; text-align: left; white-space: normal; overflow-wrap: anywhere; }
          table.stack td[data-label]::before { content: attr(data-label) ": "; color: var(--muted); }
          table.late td:nth-child(2) { min-width: 0; }
          table.balance { min-width: 0; width: 100%; }
        }
        @page { size: A4; margin: 12mm; }
        @media print {
          body { background: #fff; font-size: 12px; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
          .page-header, main, footer { max-width: none; padding: 0; }
          nav { display: none; }
          section { border: none; border-radius: 0; padding: 0; margin: 0 0 14px; }
          h2, h3, figcaption, .banner-title, .intro, .late-agency .note { break-after: avoid-page; }
          .chart-card, .kpi, .banner, tr, .late-list li { break-inside: avoid-page; }
          .charts { display: block; }
          .chart-card { margin: 0 0 10px; }
          .table-wrap { overflow: visible; }
          thead { display: table-header-group; }
          th, td, th.num, .code, thead th:first-child, .kpi-detail span { white-space: normal; overflow-wrap: anywhere; }
          table.late td:nth-child(2) { min-width: 0; }
        }

        """
}
