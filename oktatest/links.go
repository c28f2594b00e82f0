package oktatest

import (
	"net/url"

	"github.com/seed570a29ac/agentpools/api"
)

// poolHref returns the absolute URL that a pool's _links.self points to.
func poolHref(base, poolID string) string {
	return base + poolsPath + "/" + url.PathEscape(poolID)
}

// updateHref returns the absolute URL of an update.
func updateHref(base, poolID, updateID string) string {
	return poolHref(base, poolID) + "/updates/" + url.PathEscape(updateID)
}

// withSelfLink returns a copy of links whose self link is href, with the
// allowed methods as hints when any are given. Other links are kept.
func withSelfLink(links *api.Links, href string, allow ...string) *api.Links {
	out := cloneLinks(links)
	if out == nil {
		out = &api.Links{}
	}

	self := &api.HrefObject{Href: href}
	if len(allow) > 0 {
		self.Hints = &api.HrefObject_Hints{Allow: &allow}
	}
	out.Self = self
	return out
}

// presentPool returns a pool as the API sends it, with its self link.
func presentPool(p api.AgentPool, base string) api.AgentPool {
	p.Links = withSelfLink(p.Links, poolHref(base, deref(p.Id)))
	return p
}

// presentUpdate returns an update as the API sends it, with its self link.
func presentUpdate(u api.AgentPoolUpdate, base, poolID string) api.AgentPoolUpdate {
	u.Links = withSelfLink(u.Links, updateHref(base, poolID, deref(u.Id)), "GET", "POST", "DELETE")
	return u
}
