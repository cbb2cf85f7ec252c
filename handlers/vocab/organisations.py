"""Bodies that are not schools: the words their names end with.

A school's name never holds the name of another body: in 江西省教育学会小学校长研究会 the
小学 belongs to the society's branch for primary-school principals, and 县教育局教研室 is an
office. The parser ends an unknown school's name where one of these words stands before
the school word. (Education groups, 集团, are left out: 一附集团朝晖小学 is a school of the
group, and its name.)
"""

from __future__ import annotations

ORGANISATION_HEADS: tuple[str, ...] = (
    "学会",
    "协会",
    "研究会",
    "委员会",
    "联合会",
    "基金会",
    "工会",
    "教育局",
    "教体局",
    "教研室",
    "教研中心",
    "政府",
    "办公室",
    "少工委",
    "团委",
)
