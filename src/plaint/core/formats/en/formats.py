"""English for organisations anywhere: the day, the month's name and the year ("5 Dec 2026"),
never 12/05/2026, which a European reader takes for 12 May and an American for 5 December; times
on the 24-hour clock, as deadlines in the organisation's time zone are stated."""

DATE_FORMAT = "j F Y"  # 5 December 2026
TIME_FORMAT = "H:i"  # 14:30
DATETIME_FORMAT = "j F Y, H:i"  # 5 December 2026, 14:30
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "j M Y"  # 5 Dec 2026
SHORT_DATETIME_FORMAT = "j M Y, H:i"  # 5 Dec 2026, 14:30
FIRST_DAY_OF_WEEK = 1  # Monday
