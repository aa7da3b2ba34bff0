"""The schedule (section 18): filled in by the schedule issue."""
