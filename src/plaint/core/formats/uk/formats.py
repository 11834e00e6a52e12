# ruff: noqa: RUF001, RUF002, RUF003 - the Cyrillic р ("year") is Ukrainian on purpose
"""Ukrainian: the day without a leading zero and a comma before the time, as CLDR writes it
("5 грудня 2026 р., 14:30"); Django's puts "05 грудня 2026 р. 14:30"."""

DATE_FORMAT = "j E Y р."  # 5 грудня 2026 р. (E: the month's name in the genitive)
DATETIME_FORMAT = "j E Y р., H:i"  # 5 грудня 2026 р., 14:30
MONTH_DAY_FORMAT = "j E"  # 5 грудня
