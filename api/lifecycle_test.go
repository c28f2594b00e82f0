package api

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestAgentUpdateJobStatusPredicates(t *testing.T) {
	type predicates struct {
		finished, running                                bool
		activate, deactivate, pause, resume, retry, stop bool
	}
	tests := []struct {
		status AgentUpdateJobStatus
		want   predicates
	}{
		{AgentUpdateJobStatusScheduled, predicates{activate: true, deactivate: true, pause: true, stop: true}},
		{AgentUpdateJobStatusInProgress, predicates{running: true, pause: true, stop: true}},
		{AgentUpdateJobStatusPaused, predicates{resume: true, stop: true}},
		{AgentUpdateJobStatusSuccess, predicates{finished: true}},
		{AgentUpdateJobStatusFailed, predicates{finished: true, retry: true}},
		{AgentUpdateJobStatusCancelled, predicates{finished: true}},
		{"", predicates{}},
		{"Queued", predicates{}},
		{"success", predicates{}},
		{"inprogress", predicates{}},
	}
	for _, tt := range tests {
		s := tt.status
		got := predicates{
			finished:   s.IsFinished(),
			running:    s.IsRunning(),
			activate:   s.CanActivate(),
			deactivate: s.CanDeactivate(),
			pause:      s.CanPause(),
			resume:     s.CanResume(),
			retry:      s.CanRetry(),
			stop:       s.CanStop(),
		}
		assert.Equal(t, tt.want, got, "status %q", s)
	}
}

func TestAgentUpdateJobStatusPredicatesCoverEveryStatus(t *testing.T) {
	for _, s := range AgentUpdateJobStatuses() {
		acts := s.CanActivate() || s.CanDeactivate() || s.CanPause() || s.CanResume() || s.CanRetry() || s.CanStop()
		assert.True(t, s.IsFinished() || acts, "status %q is neither finished nor open to an operation", s)
		assert.False(t, s.IsFinished() && s.CanStop(), "status %q is finished but can be stopped", s)
	}
}

func TestAgentPoolUpdateStatusValue(t *testing.T) {
	assert.Equal(t, AgentUpdateJobStatus(""), AgentPoolUpdate{}.StatusValue())
	assert.False(t, AgentPoolUpdate{}.StatusValue().IsFinished())

	status := AgentUpdateJobStatusSuccess
	update := AgentPoolUpdate{Status: &status}
	assert.Equal(t, AgentUpdateJobStatusSuccess, update.StatusValue())
	assert.True(t, update.StatusValue().IsFinished())
}
