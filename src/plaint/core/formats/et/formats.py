"""Estonian: Django sets only the dates, so its times and date-times fell back to the American
defaults ("12/05/2026 2:30 p.l."). CLDR's Estonian: "5. detsember 2026, 14:30", "05.12.2026 14:30"."""

DATE_FORMAT = "j. F Y"  # 5. detsember 2026
TIME_FORMAT = "H:i"  # 14:30
DATETIME_FORMAT = "j. F Y, H:i"  # 5. detsember 2026, 14:30
YEAR_MONTH_FORMAT = "F Y"  # detsember 2026
MONTH_DAY_FORMAT = "j. F"  # 5. detsember
SHORT_DATE_FORMAT = "d.m.Y"  # 05.12.2026
SHORT_DATETIME_FORMAT = "d.m.Y H:i"  # 05.12.2026 14:30
FIRST_DAY_OF_WEEK = 1  # Monday
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"  # a no-break space, so a number never breaks across lines
NUMBER_GROUPING = 3
