"""Ray hits on the ground: road at z = 0, sidewalks and block interiors raised to the kerb height,
the vertical kerb face between them."""
import torch

from .city import ZONE_ROAD, ZONE_SIDEWALK, CityLayout, ground_zone

INF = float("inf")
G_ROAD, G_SIDEWALK, G_KERB, G_TERRAIN = 0, 1, 2, 3


def ground_t(o: torch.Tensor, d: torch.Tensor, layout: CityLayout):
    """o [V,1,3] (above the kerb), d [V,N,3] -> t [V,N], ground material [V,N] (G_*)."""
    oz, dz = o[..., 2], d[..., 2]
    down = dz < -1e-6
    safe = torch.where(down, dz, torch.full_like(dz, -1.0))
    hk = layout.kerb_height
    tk = (hk - oz) / safe
    t0 = -oz / safe
    px, py = o[..., 0] + tk * d[..., 0], o[..., 1] + tk * d[..., 1]
    zk = ground_zone(layout, px, py)
    qx, qy = o[..., 0] + t0 * d[..., 0], o[..., 1] + t0 * d[..., 1]
    z0 = ground_zone(layout, qx, qy)
    raised = zk != ZONE_ROAD
    road = (~raised) & (z0 == ZONE_ROAD)
    kerb = (~raised) & ~road
    # the kerb face lies between tk (still above road) and t0 (already under the raised zone)
    lo, hi = tk, t0
    for _ in range(7):
        mid = 0.5 * (lo + hi)
        on_road = ground_zone(layout, o[..., 0] + mid * d[..., 0], o[..., 1] + mid * d[..., 1]) == ZONE_ROAD
        lo = torch.where(on_road, mid, lo)
        hi = torch.where(on_road, hi, mid)
    t = torch.where(raised, tk, torch.where(road, t0, hi))
    mat = torch.where(raised, torch.where(zk == ZONE_SIDEWALK, torch.full_like(zk, G_SIDEWALK), torch.full_like(zk, G_TERRAIN)),
                      torch.where(road, torch.full_like(zk, G_ROAD), torch.full_like(zk, G_KERB)))
    t = torch.where(down, t, torch.full_like(t, INF))
    return t, mat
