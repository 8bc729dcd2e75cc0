"""The convex hull of map points: a sector's area drawn from its subscriptions' positions."""


def _cross(o, a, b):
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])


def convex_hull(points):
    """Corners of the smallest convex polygon holding ``points`` ((lat, lng) pairs), counter-clockwise
    in (lat, lng) space, without repeating the first; fewer than three distinct points are returned as
    they are (sorted), since they enclose no area. Andrew's monotone chain, O(n log n)."""
    pts = sorted(set(points))
    if len(pts) < 3:
        return pts
    lower, upper = [], []
    for p in pts:
        while len(lower) >= 2 and _cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    for p in reversed(pts):
        while len(upper) >= 2 and _cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]
