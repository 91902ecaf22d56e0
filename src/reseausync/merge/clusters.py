"""From pair decisions to clusters, guarded against chaining.

Naive union-find glues A to C whenever A~B and B~C, which on a large directory
chains every Marie Tremblay into one contact. Here the merge edges are applied
strongest first, and an edge is refused when it would put two records that
clearly conflict (two different given names, two different LinkedIn profiles, a
user's split) in one cluster, even though neither end of the edge conflicts with
the other. An employer each has and the other does not share is such a conflict
too, unless a third record of the two clusters bridges the pair (one person's
records from before and after a job change: `bridged`). User links are applied
last, joining whole clusters, and are only refused by a user's split.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from ..match.engine import EMPLOYER  # the conflict kind a bridging record can lift


class Clusters:
    """Union-find keeping each root's member list, so conflict checks see whole clusters."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))
        self.members: dict[int, list[int]] = {}

    def find(self, x: int) -> int:
        parent = self.parent
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def group(self, root: int) -> list[int]:
        return self.members.get(root) or [root]

    def union(self, ra: int, rb: int) -> int:
        ga, gb = self.group(ra), self.group(rb)
        if len(ga) < len(gb):
            ra, rb, ga, gb = rb, ra, gb, ga
        self.parent[rb] = ra
        self.members[ra] = ga + gb
        self.members.pop(rb, None)
        return ra

    def groups(self) -> list[list[int]]:
        """Every cluster (singletons included), members sorted, in order of first member."""
        out: dict[int, list[int]] = {}
        for x in range(len(self.parent)):
            out.setdefault(self.find(x), []).append(x)
        return list(out.values())


def cluster(n: int, edges: Sequence[tuple[float, int, int]], links: Iterable[tuple[int, int]],
            splits: set[tuple[int, int]], conflict: Callable[[int, int], bool | str],
            bridged: Callable[[int, int, int], bool] | None = None
            ) -> tuple[Clusters, list[tuple[int, int]]]:
    """Cluster `n` items; returns the clusters and the edges that joined them.

    `edges` are (probability, a, b) merge decisions; `links` and `splits` the user's
    overrides as (a, b) with a < b; `conflict(a, b)` the strong-evidence test, true
    or EMPLOYER when only the employer differs; `bridged(z, x, y)` whether `z`
    makes such an `x` and `y` one person (Engine.bridge). A person who changed
    jobs keeps the record of the old employer when a record of the new one also
    shares their phone or address: the bridge is looked for among both clusters'
    members, so the order the edges arrive in does not matter.
    """
    clusters = Clusters(n)
    joined: list[tuple[int, int]] = []

    def split_between(ga: list[int], gb: list[int]) -> bool:
        if not splits:
            return False
        return any((min(x, y), max(x, y)) in splits for x in ga for y in gb)

    def apart(x: int, y: int, members: list[int]) -> bool:
        kind = conflict(x, y)
        if kind != EMPLOYER or bridged is None:
            return bool(kind)
        return not any(bridged(z, x, y) for z in members if z != x and z != y)

    for _, a, b in sorted(edges, key=lambda e: (-e[0], e[1], e[2])):
        ra, rb = clusters.find(a), clusters.find(b)
        if ra == rb:
            continue
        ga, gb = clusters.group(ra), clusters.group(rb)
        if split_between(ga, gb):
            continue
        members = ga + gb
        if any(apart(x, y, members) for x in ga for y in gb if (x, y) != (a, b)):
            continue
        clusters.union(ra, rb)
        joined.append((a, b))
    for a, b in links:
        ra, rb = clusters.find(a), clusters.find(b)
        if ra != rb and not split_between(clusters.group(ra), clusters.group(rb)):
            clusters.union(ra, rb)
            joined.append((a, b))
    return clusters, joined
