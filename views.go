package main

import (
	"triage/api"
	"triage/config"
	"triage/session"
	"triage/threads"
	"triage/ui"
)

// viewsFrom turns the configured views (the defaults when none) and the
// views saved from the console (cfg.Saved) into the session's. The
// config has validated modes, sort names and queries.
func viewsFrom(cfg *config.Config) []threads.View {
	var out []threads.View
	if len(cfg.Views) == 0 {
		out = session.DefaultViews(cfg.Owners())
	}
	for _, v := range cfg.Views {
		out = append(out, viewOf(v, false))
	}
	for _, v := range cfg.Saved {
		out = append(out, viewOf(v, true))
	}
	return out
}

// viewOf is a view of the config (or saved) as the session has it.
func viewOf(v config.View, saved bool) threads.View {
	sort, _ := threads.ParseSortKey(v.Sort)
	q, _ := threads.Parse(v.Query)
	return threads.View{
		Name: v.Name,
		Params: api.ListParams{Mode: api.Mode(v.Mode), Resolved: v.Resolved, Archived: v.Archived,
			Escalated: v.Escalated, Important: v.Important, Anonymous: v.Anonymous, LLMModelID: v.LLMModelID},
		Tag: v.Tag, Owner: v.Owner, Search: q, Sort: sort, Reverse: v.Reverse, Saved: saved,
	}
}

// configOf is a view as the saved views' file writes it.
func configOf(v threads.View) config.View {
	p := v.Params
	c := config.View{Name: v.Name, Mode: string(p.Mode), Resolved: p.Resolved, Archived: p.Archived, Escalated: p.Escalated,
		Important: p.Important, Anonymous: p.Anonymous, LLMModelID: p.LLMModelID, Tag: v.Tag, Owner: v.Owner,
		Query: v.Search.String(), Reverse: v.Reverse}
	if v.Sort != threads.SortUpdated {
		c.Sort = v.Sort.String()
	}
	return c
}

// savedViewsOf is where the console keeps the views it saves: nil when
// their file could not be read (saving would lose what it holds).
func savedViewsOf(cfg *config.Config) ui.SavedViews {
	if cfg.SavedProblem != "" {
		return nil
	}
	return savedViewsFile{cfg.SavedPath}
}

// savedViewsFile keeps the views saved from the console in their file.
type savedViewsFile struct{ path string }

// Save writes the saved views, whole.
func (f savedViewsFile) Save(views []threads.View) error {
	out := make([]config.View, len(views))
	for i, v := range views {
		out[i] = configOf(v)
	}
	return config.SaveViews(f.path, out)
}
