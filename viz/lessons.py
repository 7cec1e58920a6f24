"""Figures of the learning pages: the block matrix product, and paired bars (right vs other)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from lstm_core.lessons import BlockProduct

from .palette import BLACK, DIVERGING, PATTERNS, SERIES


def block_matrix_figure(bp: BlockProduct, *, presenter: bool = False) -> go.Figure:
    """Wᵀ = [W_hᵀ  W_xᵀ] (H × (H+D)) times [h(t-1); x(t)] plus b gives z: heatmaps with numbers."""
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
    fig = make_subplots(rows=1, cols=4, column_widths=[H + D + 1, 1.6, 1.6, 1.6],
                        subplot_titles=[p[2] for p in panels], horizontal_spacing=0.07)
    scale = max(1e-9, max(float(np.max(np.abs(p[0]))) for p in panels))
    font = 18 if presenter else 12
    for k, (values, labels, _) in enumerate(panels, start=1):
        is_col = values.shape[1] == 1
        fig.add_trace(go.Heatmap(
            z=values, x=["·"] if is_col else labels, y=labels if is_col else rows,
            colorscale=DIVERGING, zmin=-scale, zmax=scale, showscale=False,
            texttemplate="%{z:.2f}", textfont=dict(size=font), xgap=2, ygap=2,
            hovertemplate="%{y}, %{x}: %{z:.6f}<extra></extra>"), row=1, col=k)
        fig.update_yaxes(autorange="reversed", row=1, col=k)
    fig.add_vline(x=H - 0.5, line=dict(color=BLACK, width=4), row=1, col=1)
    fig.update_layout(height=max(260, 46 * (H + D) + 80) if presenter else
                      max(220, 34 * (H + D) + 70), margin=dict(l=60, r=10, t=50, b=20),
                      font=dict(size=font))
    fig.update_annotations(font_size=font)
    return fig


def paired_bars(categories: Sequence[str], series: Sequence[tuple[str, np.ndarray]], *,
                title: str = "", presenter: bool = False,
                y_range: tuple[float, float] | None = None) -> go.Figure:
    """Grouped bars, one group per category, each series its own colour and fill pattern,
    its value printed on the bar."""
    font = 18 if presenter else 12
    data = [
        go.Bar(x=list(categories), y=np.asarray(values, dtype=np.float64), name=name,
               marker=dict(color=SERIES[k % len(SERIES)],
                           pattern=dict(shape=PATTERNS[k % len(PATTERNS)], fgcolor=BLACK,
                                        solidity=0.25),
                           line=dict(color=BLACK, width=1)),
               text=[f"{v:.4f}" for v in values], textposition="outside",
               textfont=dict(size=font - 1), cliponaxis=False,
               hovertemplate=f"{name}, %{{x}}: %{{y:.6f}}<extra></extra>")
        for k, (name, values) in enumerate(series)
    ]
    layout = dict(
        barmode="group", height=380 if presenter else 300, font=dict(size=font),
        title=dict(text=title, font=dict(size=font + 2)) if title else None,
        margin=dict(l=50, r=10, t=60 if title else 30, b=40), plot_bgcolor="white",
        legend=dict(orientation="h", y=1.02, yanchor="bottom", x=0, xanchor="left"),
        yaxis=dict(range=list(y_range) if y_range else None, zeroline=True,
                   zerolinecolor=BLACK, gridcolor="#dddddd"),
    )
    return go.Figure(data=data, layout=layout)
