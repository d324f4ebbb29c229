"""Server-rendered SVG charts for the dashboards: they work without JavaScript (inline or as an
<img>), carry a <title> and <desc> for screen readers, and are pure functions of their data."""

from __future__ import annotations

from html import escape

FONT = "font-family:'Liberation Sans','DejaVu Sans',Arial,sans-serif;font-size:12px"
BAR = "#1f6fb2"
LATE = "#c0392b"


def _fmt(value: float, percent: bool) -> str:
    if percent:
        return f"{value * 100:.1f}%".replace(".", ",")
    return f"{value:,.0f}".replace(",", ".")


def _describe(items: list[tuple[str, float | None]], percent: bool) -> str:
    return "; ".join(f"{k}: {'—' if v is None else _fmt(v, percent)}" for k, v in items)


def bar_chart(title: str, items: list[tuple[str, float | None]], *, percent: bool = False, width: int = 640,
              highlight_below: float | None = None) -> str:
    """Horizontal bars, one per (label, value); values of None are drawn as "không có dữ liệu"."""
    row, label_w, top = 22, min(260, width // 2), 28
    height = top + row * max(1, len(items)) + 8
    scale_max = 1.0 if percent else max([v or 0 for _, v in items] + [1])
    bar_w = width - label_w - 70
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="t d" style="{FONT}">',
             f'<title id="t">{escape(title)}</title>',
             f'<desc id="d">{escape(_describe(items, percent))}</desc>',
             f'<text x="0" y="16" font-weight="bold">{escape(title)}</text>']
    for i, (label, value) in enumerate(items):
        y = top + i * row
        text = label if len(label) <= 40 else label[:39] + "…"
        parts.append(f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end">{escape(text)}</text>')
        if value is None:
            parts.append(f'<text x="{label_w}" y="{y + 14}" fill="#666">không có dữ liệu</text>')
            continue
        w = max(1, round(bar_w * min(value, scale_max) / scale_max))
        colour = LATE if highlight_below is not None and value < highlight_below else BAR
        parts.append(f'<rect x="{label_w}" y="{y + 3}" width="{w}" height="{row - 6}" fill="{colour}"/>')
        parts.append(f'<text x="{label_w + w + 4}" y="{y + 14}">{_fmt(value, percent)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def line_chart(title: str, points: list[tuple[str, float | None]], *, width: int = 640, height: int = 220) -> str:
    """A rate (0–1) over time, e.g. the on-time rate by month; gaps where there is no data."""
    left, right, top, bottom = 44, 12, 28, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    n = max(1, len(points) - 1)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="t d" style="{FONT}">',
             f'<title id="t">{escape(title)}</title>',
             f'<desc id="d">{escape(_describe(points, True))}</desc>',
             f'<text x="0" y="16" font-weight="bold">{escape(title)}</text>']
    for tick in (0, 0.5, 1):
        y = top + plot_h * (1 - tick)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#ddd"/>')
        parts.append(f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end">{int(tick * 100)}%</text>')
    segment: list[str] = []
    for i, (label, value) in enumerate(points):
        x = left + plot_w * i / n if len(points) > 1 else left + plot_w / 2
        if i % max(1, len(points) // 8) == 0 or i == len(points) - 1:
            parts.append(f'<text x="{x:.1f}" y="{height - 10}" text-anchor="middle">{escape(label)}</text>')
        if value is None:
            if len(segment) > 1:
                parts.append(f'<polyline fill="none" stroke="{BAR}" stroke-width="2" points="{" ".join(segment)}"/>')
            segment = []
            continue
        y = top + plot_h * (1 - max(0.0, min(1.0, value)))
        segment.append(f"{x:.1f},{y:.1f}")
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{BAR}"><title>{escape(label)}: '
                     f'{_fmt(value, True)}</title></circle>')
    if len(segment) > 1:
        parts.append(f'<polyline fill="none" stroke="{BAR}" stroke-width="2" points="{" ".join(segment)}"/>')
    parts.append("</svg>")
    return "".join(parts)
