"""Small charts drawn server-side as inline SVG: no JavaScript, printable, accessible.

The template draws the shapes; this computes their geometry, so a chart's layout is
plain data that tests can check.
"""

WIDTH, HEIGHT, GAP, AXIS = 640, 240, 8, 24


def bar_chart(points):
    """Bars for (label, value, highlighted) points, scaled to the largest value.

    Returns None when there is nothing to draw.
    """
    if not points:
        return None
    top = max(value for _, value, _ in points)
    slot = WIDTH / len(points)
    bars = []
    for i, (label, value, highlighted) in enumerate(points):
        height = round((HEIGHT - 2 * AXIS) * value / top, 1)
        bars.append(
            {
                "label": label,
                "value": value,
                "highlighted": highlighted,
                "x": round(i * slot + GAP / 2, 1),
                "y": round(HEIGHT - AXIS - height, 1),
                "width": round(slot - GAP, 1),
                "height": height,
                "center": round(i * slot + slot / 2, 1),
                "value_y": round(HEIGHT - AXIS - height - 6, 1),
            }
        )
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "baseline": HEIGHT - AXIS,
        "label_y": HEIGHT - 6,
        "bars": bars,
    }
