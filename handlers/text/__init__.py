"""Small Chinese text helpers shared by the parser, the commands and the reminders:
numerals (`numerals`), weekday names (`weekdays`) and date arithmetic and display (`dates`)."""
