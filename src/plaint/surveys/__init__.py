"""ISO 10004:2018 direct measures (clause 7: surveys, questionnaires, sampling) and ISO 10002:2018 8.3:
asking complainants how satisfied they were with the handling of their complaint."""
