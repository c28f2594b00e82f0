package oktatest

import (
	"strconv"
	"strings"
)

// cronCause is the error cause for a cron expression that Okta does not
// accept, as Okta words it.
const cronCause = "schedule.cron: Only day-of-month and nth-weekday schedules are supported."

// validCron reports whether expr is a schedule that Okta accepts for agent
// auto-updates. It has five fields (minute, hour, day of month, month, day
// of week) with a fixed minute and hour, and runs every month. It names
// either a day of the month ("0 8 15 * ?") or the nth weekday of the month
// ("0 8 ? * 6#3" is the third Saturday, and 0 is Sunday).
func validCron(expr string) bool {
	fields := strings.Fields(expr)
	if len(fields) != 5 {
		return false
	}
	minute, hour, dayOfMonth, month, dayOfWeek := fields[0], fields[1], fields[2], fields[3], fields[4]

	if !inRange(minute, 0, 59) || !inRange(hour, 0, 23) || month != "*" {
		return false
	}
	if dayOfMonth != "?" {
		return inRange(dayOfMonth, 1, 31) && dayOfWeek == "?"
	}

	weekday, nth, ok := strings.Cut(dayOfWeek, "#")
	return ok && inRange(weekday, 0, 6) && inRange(nth, 1, 5)
}

// inRange reports whether text is a decimal integer from low to high.
func inRange(text string, low, high int) bool {
	n, err := strconv.Atoi(text)
	return err == nil && n >= low && n <= high && !strings.HasPrefix(text, "+")
}
