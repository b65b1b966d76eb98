"""Geometry of a bar chart, drawn by a template as inline SVG (no JavaScript, no CDN).

Hand-written because it is twenty lines of arithmetic: a charting library would bring a
JavaScript bundle or an image renderer for what the templates draw with four SVG elements.
"""


def bar_chart(points, *, width=720, height=240, floor=1) -> dict:
    """`points`: (label, value) in order; a value of None draws no bar (the label stays, e.g. a
    number suppressed for k-anonymity). The scale's top is the highest value, at least `floor`."""
    values = [value for _, value in points]
    top = max([v for v in values if v is not None] + [floor])
    pad_left, pad_bottom, pad_top = 40, 30, 10
    plot_w, plot_h = width - pad_left - 10, height - pad_bottom - pad_top
    slot = plot_w / max(len(points), 1)
    bars = []
    for i, (label, value) in enumerate(points):
        h = plot_h * (value or 0) / top
        bars.append(
            {
                "x": round(pad_left + i * slot + slot * 0.15, 1),
                "w": round(slot * 0.7, 1),
                "y": round(pad_top + plot_h - h, 1),
                "h": round(h, 1),
                "label": label,
                "label_x": round(pad_left + i * slot + slot / 2, 1),
                "value": value,
            }
        )
    return {
        "width": width,
        "height": height,
        "bars": bars,
        "top": top,
        "axis_y": pad_top + plot_h,
        "pad_left": pad_left,
        "pad_top": pad_top,
    }
