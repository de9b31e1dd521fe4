package threads

import "triage/api"

// Interner shares the strings that repeat across threads (chatbot id,
// platform, icons, tags, models), so 100,000 loaded threads do not
// hold 100,000 copies of each. It is not safe for concurrent use.
type Interner struct {
	strs   map[string]string
	models map[api.LLMModel]*api.LLMModel
	icons  map[api.Icons]*api.Icons
}

// NewInterner returns an empty interner.
func NewInterner() *Interner {
	return &Interner{strs: map[string]string{}, models: map[api.LLMModel]*api.LLMModel{}, icons: map[api.Icons]*api.Icons{}}
}

// String returns the shared copy of s.
func (in *Interner) String(s string) string {
	if s == "" {
		return ""
	}
	if v, ok := in.strs[s]; ok {
		return v
	}
	in.strs[s] = s
	return s
}

// Thread replaces the repeating strings of t with shared copies. A nil
// interner does nothing.
func (in *Interner) Thread(t *api.Thread) {
	if in == nil {
		return
	}
	t.ChatbotID = in.String(t.ChatbotID)
	t.PlatformSource = in.String(t.PlatformSource)
	if ic := t.Icons; ic != nil && *ic == (api.Icons{}) {
		t.Icons = nil
	} else if ic != nil {
		shared, ok := in.icons[*ic]
		if !ok {
			shared = &api.Icons{BotIconSrc: in.String(ic.BotIconSrc), UserIconSrc: in.String(ic.UserIconSrc),
				AgentIconSrc: in.String(ic.AgentIconSrc), BubbleIconSrc: in.String(ic.BubbleIconSrc)}
			in.icons[*shared] = shared
		}
		t.Icons = shared
	}
	t.Mode = api.Mode(in.String(string(t.Mode)))
	if len(t.Tags) == 0 {
		t.Tags = nil
	} else { // a new array: the one given may be shared with a thread another goroutine reads
		tags := make([]string, len(t.Tags))
		for i, tag := range t.Tags {
			tags[i] = in.String(tag)
		}
		t.Tags = tags
	}
	if t.LLMModel != nil {
		m, ok := in.models[*t.LLMModel]
		if !ok {
			m = &api.LLMModel{ID: in.String(t.LLMModel.ID), Provider: in.String(t.LLMModel.Provider), Title: in.String(t.LLMModel.Title)}
			in.models[*m] = m
		}
		t.LLMModel = m
	}
}
