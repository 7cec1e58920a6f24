"""Figures of the learning pages: the block matrix product, and paired bars (right vs other)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from explainer.lessons import BlockProduct

from .palette import BLACK, DIVERGING, PATTERNS, SERIES

HEATMAP_SCALE = DIVERGING  # the app's one value scale: blue negative, white 0, orange positive


def block_matrix_figure(bp: BlockProduct, *, presenter: bool = False) -> go.Figure:
    """Wᵀ = [W_hᵀ  W_xᵀ] (H × (H+D)) times [h(t-1); x(t)] plus b gives z: heatmaps with numbers.
    Four panels side by side, laid out as make_subplots would (column widths H+D+1 : 1.6 : 1.6 :
    1.6, spacing 0.07) but built in one unvalidated go.Figure call: make_subplots and the
    update loops cost most of a rerun. tests/test_lessons.py validates the figure instead."""
    H = bp.W.shape[1]
    D = bp.W.shape[0] - H
    n = bp.gate
    cols = [f"h{k}" for k in range(H)] + [f"x{k}" for k in range(D)]
    rows = [f"unit {k}" for k in range(H)]
    panels = (
        (bp.W.T, cols, f"Wᵀ = [W_h{n}ᵀ  W_x{n}ᵀ]  ({H}×{H + D})"),
        (bp.xh[:, None], cols, f"[h(t-1); x(t)]  ({H + D},)"),
        (bp.b[:, None], rows, f"b_{n}  ({H},)"),
        (bp.z_block[:, None], rows, f"z_{n}  ({H},)"),
    )
    scale = max(1e-9, max(float(np.max(np.abs(p[0]))) for p in panels))
    font = 18 if presenter else 12
    widths, gap = (H + D + 1, 1.6, 1.6, 1.6), 0.07
    unit = (1.0 - gap * (len(widths) - 1)) / sum(widths)
    data, annotations, layout, x0 = [], [], {}, 0.0
    colorbar = dict(  # the key: drawn once (the panels share the scale), under the panels
        title=dict(text="colour key", side="right", font=dict(size=font - 1)), orientation="h",
        x=0.5, xanchor="center", y=-0.16, yanchor="top", len=0.6, thickness=12,
        tickfont=dict(size=font - 1), tickvals=[-scale, 0, scale],
        ticktext=[f"−{scale:.2g} (blue)", "0", f"+{scale:.2g} (orange)"])
    for k, ((values, labels, title), w) in enumerate(zip(panels, widths), start=1):
        is_col = values.shape[1] == 1
        suffix = "" if k == 1 else str(k)
        domain = [x0, min(1.0, x0 + w * unit)]
        x0 = domain[1] + gap
        data.append(dict(
            type="heatmap", z=values, x=["·"] if is_col else labels,
            y=labels if is_col else rows, xaxis=f"x{suffix}", yaxis=f"y{suffix}",
            colorscale=HEATMAP_SCALE, zmin=-scale, zmax=scale, showscale=k == 1,
            colorbar=colorbar,
            texttemplate="%{z:.2f}", textfont=dict(size=font), xgap=2, ygap=2,
            hovertemplate="%{y}, %{x}: %{z:.6f}<extra></extra>"))
        layout[f"xaxis{suffix}"] = dict(domain=domain, anchor=f"y{suffix}")
        layout[f"yaxis{suffix}"] = dict(domain=[0.0, 1.0], anchor=f"x{suffix}",
                                        autorange="reversed")
        annotations.append(dict(text=title, x=sum(domain) / 2, y=1.0, xref="paper",
                                yref="paper", xanchor="center", yanchor="bottom",
                                showarrow=False, font=dict(size=font)))
    layout.update(
        annotations=annotations, font=dict(size=font), margin=dict(l=60, r=10, t=50, b=90),
        height=max(300, 46 * (H + D) + 130) if presenter else max(260, 34 * (H + D) + 110),
        shapes=[dict(type="line", x0=H - 0.5, x1=H - 0.5, xref="x", y0=0, y1=1,
                     yref="y domain", line=dict(color=BLACK, width=4))])
    return go.Figure(data=data, layout={**layout, "template": {}}, _validate=False)


def paired_bars(categories: Sequence[str], series: Sequence[tuple[str, np.ndarray]], *,
                title: str = "", presenter: bool = False,
                y_range: tuple[float, float] | None = None) -> go.Figure:
    """Grouped bars, one group per category, each series its own colour and fill pattern,
    its value printed on the bar. Plain dicts, unvalidated (tests/test_lessons.py validates)."""
    font = 18 if presenter else 12
    data = [
        dict(type="bar", x=list(categories), y=np.asarray(values, dtype=np.float64), name=name,
             marker=dict(color=SERIES[k % len(SERIES)],
                         pattern=dict(shape=PATTERNS[k % len(PATTERNS)], fgcolor=BLACK,
                                      solidity=0.25),
                         line=dict(color=BLACK, width=1)),
             text=[f"{v:.4f}" for v in values], textposition="outside",
             textfont=dict(size=font - 1), cliponaxis=False,
             hovertemplate=f"{name}, %{{x}}: %{{y:.6f}}<extra></extra>")
        for k, (name, values) in enumerate(series)
    ]
    yaxis = dict(zeroline=True, zerolinecolor=BLACK, gridcolor="#dddddd")
    if y_range:
        yaxis["range"] = list(y_range)
    layout = dict(
        barmode="group", height=380 if presenter else 300, font=dict(size=font),
        margin=dict(l=50, r=10, t=60 if title else 30, b=40), plot_bgcolor="white",
        legend=dict(orientation="h", y=1.02, yanchor="bottom", x=0, xanchor="left"),
        yaxis=yaxis,
    )
    if title:
        layout["title"] = dict(text=title, font=dict(size=font + 2))
    return go.Figure(data=data, layout={**layout, "template": {}}, _validate=False)
