"""English dates as the newsroom writes them; everything else is Django's English formats."""

DATE_FORMAT = "j F Y"  # 18 July 2022
YEAR_MONTH_FORMAT = "F Y"  # July 2022
