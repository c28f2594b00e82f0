package api

import (
	"errors"
	"fmt"
	"time"
)

// Bounds that Validate applies to AutoUpdateSchedule.
//
// NOTE: Okta's reference gives only the units of duration (minutes) and
// delay (days), not their ranges. These bounds are this package's: an
// update window of one minute to one day, and a delay of up to a year.
const (
	minScheduleDuration = 1
	maxScheduleDuration = 24 * 60
	maxScheduleDelay    = 365
)

// maxNextRuns bounds the n of NextRuns.
const maxNextRuns = 1000

// Validate checks the fields of s that are set, and returns every problem
// found, joined with errors.Join, or nil:
//   - Cron must parse with ParseCron; the error is then a *CronError.
//   - Timezone must be an IANA time zone name that time.LoadLocation
//     finds, other than "Local" and "". It is required when Cron is set,
//     because Okta does not document which zone it reads Cron in otherwise.
//   - Duration, in minutes, must be from 1 to 1440.
//   - Delay, in days, must be from 0 to 365.
//
// The bounds on Duration and Delay are this package's, as Okta documents
// none. time.LoadLocation reads the system's zone database; a program
// that runs where there may be none, such as in a scratch container, must
// import time/tzdata. Validate is a check before a request: the server has
// the final word.
func (s AutoUpdateSchedule) Validate() error {
	var errs []error

	if s.Cron != nil {
		if _, err := ParseCron(*s.Cron); err != nil {
			errs = append(errs, err)
		}
	}
	if s.Cron != nil || s.Timezone != nil {
		if _, err := s.location(); err != nil {
			errs = append(errs, err)
		}
	}

	if d := s.Duration; d != nil && (*d < minScheduleDuration || *d > maxScheduleDuration) {
		errs = append(errs, fmt.Errorf("api: invalid schedule duration %d: must be from %d to %d minutes", *d, minScheduleDuration, maxScheduleDuration))
	}
	if d := s.Delay; d != nil && (*d < 0 || *d > maxScheduleDelay) {
		errs = append(errs, fmt.Errorf("api: invalid schedule delay %d: must be from 0 to %d days", *d, maxScheduleDelay))
	}
	return errors.Join(errs...)
}

// location loads the time zone of s.
func (s AutoUpdateSchedule) location() (*time.Location, error) {
	// NOTE: Okta's reference does not say which zone a schedule without a
	// timezone runs in, so a missing one is an error here, not UTC.
	if s.Timezone == nil {
		return nil, errors.New("api: schedule has a cron but no timezone; set Timezone to an IANA name such as America/New_York")
	}

	name := *s.Timezone
	switch name {
	case "":
		return nil, errors.New(`api: invalid schedule timezone "": set an IANA name such as America/New_York`)
	case "Local":
		return nil, errors.New(`api: invalid schedule timezone "Local": it names this machine's zone, not one Okta knows; set an IANA name such as America/New_York`)
	}

	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("api: invalid schedule timezone %q: use an IANA name such as America/New_York, and import time/tzdata where the system has no zone database: %w", name, err)
	}
	return loc, nil
}

// NextRuns returns the next n (1 to 1000) start times of the schedule
// strictly after the instant after, in ascending order and in the
// schedule's time zone. Cron.Next computes each one, so a month without
// the day has no run, and Cron.Next describes how a daylight-saving change
// moves a run.
//
// It reads only Cron and Timezone, and returns an error when either is
// missing or invalid (see Validate). Delay is not applied, because Okta
// does not document how it shifts a run. These are the times the schedule
// names; Okta decides when an update really starts.
func (s AutoUpdateSchedule) NextRuns(after time.Time, n int) ([]time.Time, error) {
	if n < 1 || n > maxNextRuns {
		return nil, fmt.Errorf("api: invalid number of runs %d: must be from 1 to %d", n, maxNextRuns)
	}
	if s.Cron == nil {
		return nil, errors.New("api: schedule has no cron; set Cron to compute its runs")
	}

	cron, err := ParseCron(*s.Cron)
	if err != nil {
		return nil, err
	}
	loc, err := s.location()
	if err != nil {
		return nil, err
	}

	runs := make([]time.Time, 0, n)
	next := after
	for range n {
		next = cron.Next(next, loc)
		runs = append(runs, next)
	}
	return runs, nil
}
