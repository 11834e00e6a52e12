"""Staff notifications: telling the people who handle complaints what needs them — a new case in
their team's category, a case assigned to them, a complainant's reply or new evidence, a promise at
risk — in the app and by e-mail, as each person chooses. Serves ISO 10002 7.4-7.6 (timely
assessment and handling: the right person learns of a case at once) and ISO 10001 7.5 (promises
kept: their owners hear before a deadline passes)."""
