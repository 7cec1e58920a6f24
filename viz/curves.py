"""Activation curves: σ or tanh with the current pre-activations marked, their local slope drawn
as a short tangent and printed, and the flat (saturated) tails shaded."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from lstm_core import Activation

from .canvas import ACTIVATION_SYMBOL
from .palette import BLACK, BLUE, GATE_COLOURS, GREY


def activation_curve(name: str, activation: Activation, z: np.ndarray, *,
                     presenter: bool = False, max_slope: float = 0.05) -> go.Figure:
    """The curve a = act(z) for gate `name` ("f"), with every element of z marked."""
    z = np.asarray(z, dtype=np.float64)
    act = activation = Activation(activation)
    reach = float(np.max(np.abs(z))) if z.size else 0.0
    R = min(max(8.0, reach * 1.15 + 1.0), 60.0)
    zs = np.linspace(-R, R, 401)
    a = act(z)
    slope = activation.slope(z)
    bound = activation.saturation_bound(max_slope)
    lo = activation.low
    colour = GATE_COLOURS.get(name, BLUE)
    font = 20 if presenter else 13
    half = R / 14.0  # half-length of each tangent segment, in z units
    tx, ty = [], []
    for zk, ak, sk in zip(z, a, slope):
        tx += [zk - half, zk + half, None]
        ty += [ak - sk * half, ak + sk * half, None]
    labels = [f"[{k}] slope {s:.3f}" for k, s in enumerate(slope)]
    positions = ["top left" if k % 2 else "bottom right" for k in range(len(z))]
    data = [
        dict(type="scatter", x=zs, y=act(zs), mode="lines", line=dict(color=colour, width=3),
             name=f"{name} = {ACTIVATION_SYMBOL[activation]}(z)", hoverinfo="skip"),
        dict(type="scatter", x=tx, y=ty, mode="lines",
             line=dict(color=BLACK, width=2, dash="dot"), name="local slope", hoverinfo="skip"),
        dict(type="scatter", x=z, y=a, mode="markers+text", text=labels, textposition=positions,
             textfont=dict(size=font - 1), name=f"z_{name} now",
             marker=dict(size=12 if presenter else 9, color=colour,
                         line=dict(color=BLACK, width=1.5)),
             customdata=np.stack([slope, np.arange(len(z))], axis=-1),
             hovertemplate=(f"{name}[%{{customdata[1]}}]: z = %{{x:.4f}}, "
                            f"{name} = %{{y:.4f}}, slope = %{{customdata[0]:.4f}}"
                            "<extra></extra>")),
    ]
    shade = dict(type="rect", yref="paper", y0=0, y1=1, fillcolor=GREY, opacity=0.18,
                 line=dict(width=0), layer="below")
    shapes = [dict(shade, x0=-R, x1=-bound), dict(shade, x0=bound, x1=R)]
    note = dict(yref="paper", y=1.0, yanchor="bottom", showarrow=False,
                font=dict(size=font - 2, color=BLACK),
                text=f"flat: |slope| < {max_slope:g}")
    annotations = [dict(note, x=-(R + bound) / 2), dict(note, x=(R + bound) / 2)]
    layout = dict(
        height=340 if presenter else 260, margin=dict(l=50, r=10, t=36, b=40),
        font=dict(size=font), showlegend=False, shapes=shapes, annotations=annotations,
        xaxis=dict(title=dict(text=f"z_{name} (pre-activation)"), range=[-R, R], zeroline=True),
        yaxis=dict(title=dict(text=f"{name}(t)"), range=[lo - 0.12, 1.12], zeroline=True),
        plot_bgcolor="white",
    )
    # plain dicts as validation would leave them; unvalidated (tests/test_lessons.py validates)
    return go.Figure(data=data, layout={**layout, "template": {}}, _validate=False)

