"""Working days: chinese-calendar (statutory holidays and 调休 make-up workdays), then the
configured holidays/workdays for years it does not cover, then plain Saturday/Sunday rest.

`calendar_source(day)` says which of the three decided a day, so `/会议` and
`alliance-bot reminders` can show when a date rests on the weekend-only fallback.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from functools import lru_cache

from handlers.text.weekdays import weekday_cn

log = logging.getLogger("handlers.workdays")

SOURCE_LIB = "chinese-calendar"
SOURCE_CONFIG = "配置"
SOURCE_FALLBACK = "仅周末(无节假日数据)"

HOLIDAY_CN = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}
# Read by principals and teachers (/会议): no library or configuration names here; the CLI
# adds where the IT person fills the days in.
FALLBACK_WARNING = (
    "注意:这一年的法定节假日和调休安排还没有录入,提醒暂时只按周六、周日休息计算,"
    "遇节假日不会自动调整。请联系管理员补充该年的节假日安排。"
)


class WorkCalendar:
    def __init__(self, holidays: Iterable[dt.date] = (), workdays: Iterable[dt.date] = ()):
        self.holidays = set(holidays)
        self.workdays = set(workdays)
        self._config_years = {d.year for d in self.holidays | self.workdays}
        self._warned: set[int] = set()

    @classmethod
    def from_settings(cls, settings) -> WorkCalendar:
        """The calendar for these settings (one per distinct holidays/workdays, so the
        fallback warning is logged once per year, not once per request)."""
        cal = getattr(settings, "calendar", None)
        return _calendar(
            tuple(getattr(cal, "holidays", ()) or ()), tuple(getattr(cal, "workdays", ()) or ())
        )

    @staticmethod
    def _lib(day: dt.date) -> tuple[bool, str | None] | None:
        """(is_holiday, name) from chinese-calendar, or None when it has no data."""
        try:
            import chinese_calendar

            return chinese_calendar.get_holiday_detail(day)
        except NotImplementedError:
            return None

    def calendar_source(self, day: dt.date) -> str:
        if self._lib(day) is not None:
            return SOURCE_LIB
        if day.year in self._config_years:
            return SOURCE_CONFIG
        if day.year not in self._warned:
            self._warned.add(day.year)
            log.warning(
                "no holiday data for %s: chinese-calendar does not cover it and "
                "calendar.holidays/workdays name no day of it; treating only Saturday "
                "and Sunday as rest days",
                day.year,
            )
        return SOURCE_FALLBACK

    def is_workday(self, day: dt.date) -> bool:
        detail = self._lib(day)
        if detail is not None:
            return not detail[0]
        self.calendar_source(day)  # warns once per year on fallback
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def rest_reason(self, day: dt.date) -> str:
        """Why a day is not a working day, in Chinese ("国庆节", "周六")."""
        detail = self._lib(day)
        if detail is not None and detail[1]:
            return HOLIDAY_CN.get(detail[1], detail[1])
        if day in self.holidays:
            return "节假日"
        return weekday_cn(day) + "休息" if day.weekday() >= 5 else "休息日"

    def previous_workday(self, day: dt.date) -> dt.date:
        d = day - dt.timedelta(days=1)
        while not self.is_workday(d):
            d -= dt.timedelta(days=1)
        return d

    def next_workday(self, day: dt.date) -> dt.date:
        d = day + dt.timedelta(days=1)
        while not self.is_workday(d):
            d += dt.timedelta(days=1)
        return d


@lru_cache(maxsize=8)
def _calendar(holidays: tuple[dt.date, ...], workdays: tuple[dt.date, ...]) -> WorkCalendar:
    return WorkCalendar(holidays, workdays)
