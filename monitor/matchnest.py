"""Bits for the blocks nested in `not` / `any`, laid out so that a few shifts resolve them.

A RuleIndex part (monitor.matchindex) gives every match block a bit of one integer and
ANDs condition masks into it; what is left is, for each block, "its own conditions hold".
A rule with `not` or `any` then matches when its own bit is set, its `not` block's is not
and one of its `any` blocks' is. Testing that rule by rule costs a Python loop per item;
`Nesting` places the bits so that it is a few big-integer operations for all rules at once:

- a rule without `not` / `any` keeps bit i, its place in the part;
- the k-th rule with them ("combined") is evaluated at bit base[()] + k instead, and the
  block nested in it at path p (a tuple of steps: -1 for `not`, j for branch j of `any`;
  ("not", then any's branch 1) is (-1, 1)) at bit base[p] + k.

So the child at p + (step,) of every combined rule is base[p + (step,)] - base[p] bits above
its parent: one shift brings all the children of one path onto their parents, a mask keeps
the rules that have that child, and the paths are resolved deepest first. Last, the
surviving combined rules set their own bit i (`resolve`). Combined rules are numbered by
the paths they have, so that the rules sharing a path are neighbours and each path's bits
span few unused ones.
"""

from __future__ import annotations

from itertools import accumulate, count
from operator import add
from typing import Iterator

from monitor.rulespec import MatchSpec

NOT = -1  # the path step into a `not` block; j >= 0 steps into branch j of `any`


def _paths(spec: MatchSpec, path: tuple[int, ...] = ()) -> Iterator[tuple[tuple[int, ...], MatchSpec]]:
    """(path, block) for `spec` (path ()) and every block nested in it."""
    yield path, spec
    if spec.not_ is not None:
        yield from _paths(spec.not_, (*path, NOT))
    for j, branch in enumerate(spec.any_ or ()):
        yield from _paths(branch, (*path, j))


def bits(mask: int) -> list[int]:
    """The positions of the set bits of `mask`, lowest first."""
    if not mask & (mask - 1):
        return [mask.bit_length() - 1] if mask else []
    zeros = bin(mask)[:1:-1].split("1")  # the runs of 0 below each set bit, lowest first
    zeros.pop()
    return list(map(add, accumulate(map(len, zeros)), count()))  # zeros below + ones below


def _mask(bits: Iterator[int]) -> int:
    mask = 0
    for bit in bits:
        mask |= 1 << bit
    return mask


class Nesting:
    """The bit of every block of a part's rules, and how to resolve `not` / `any` from them.

    `blocks`: (bit, block) for every block to index: each rule (at i, or at its combined
    bit), and every block nested in one. `resolve(alive)`: the bits i of the combined rules
    that match, given the bits of the blocks whose own conditions hold.
    """

    def __init__(self, specs: list[MatchSpec]):
        n = len(specs)
        combined = [i for i, spec in enumerate(specs) if spec.not_ is not None or spec.any_]
        paths_of = {i: dict(_paths(specs[i])) for i in combined}
        combined.sort(key=lambda i: sorted(paths_of[i], key=_path_order))  # stable: rule order within
        self.natural = [1 << i for i in combined]  # k -> the rule's own bit
        self.blocks: list[tuple[int, MatchSpec]] = [(i, spec) for i, spec in enumerate(specs) if i not in paths_of]
        holders: dict[tuple[int, ...], list[int]] = {}  # path -> the k having it, ascending
        for k, i in enumerate(combined):
            for path in paths_of[i]:
                holders.setdefault(path, []).append(k)
        self.base: dict[tuple[int, ...], int] = {}
        free = n
        for path in sorted(holders, key=_path_order):  # parents before children: children higher
            ks = holders[path]
            self.base[path] = free - ks[0]
            free += ks[-1] - ks[0] + 1
        self.width = free  # bits used, rules' included
        for k, i in enumerate(combined):
            self.blocks.extend((self.base[path] + k, block) for path, block in paths_of[i].items())
        self.nested = _mask(bit for bit, _ in self.blocks if bit >= n)
        self.root, self.roots = self.base.get((), n), (1 << len(combined)) - 1  # where they are
        # deepest first: (not: (shift, mask) or None, any: ([(shift, mask)], mask of the rules having it))
        self.steps: list[tuple[tuple[int, int] | None, tuple[list[tuple[int, int]], int] | None]] = []
        for path in sorted(holders, key=_path_order, reverse=True):
            def child(step: int) -> tuple[int, int] | None:
                below = (*path, step)
                if below not in holders:
                    return None
                return self.base[below] - self.base[path], _mask(self.base[path] + k for k in holders[below])
            negated, branches = child(NOT), []
            while (branch := child(len(branches))) is not None:
                branches.append(branch)
            if negated or branches:
                self.steps.append((negated, (branches, branches[0][1]) if branches else None))

    def resolve(self, alive: int) -> int:
        """The own bits of the combined rules matching, from `alive`: the blocks whose own
        conditions hold (bits as laid out here)."""
        for negated, any_of in self.steps:
            if negated is not None:
                shift, mask = negated
                alive &= ~(alive >> shift & mask)
            if any_of is not None:
                branches, having = any_of
                ok = 0
                for shift, mask in branches:
                    ok |= alive >> shift & mask
                alive &= ~(having & ~ok)
        own = 0
        for k in bits(alive >> self.root & self.roots):
            own |= self.natural[k]
        return own


def _path_order(path: tuple[int, ...]) -> tuple[int, tuple[int, ...]]:
    return len(path), path
