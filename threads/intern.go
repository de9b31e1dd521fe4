package threads

import "triage/api"

// Interner shares the strings that repeat across threads (chatbot id,
// platform, icon URLs, tags, models), so 100,000 loaded threads do not
// hold 100,000 copies of each. It is not safe for concurrent use.
type Interner struct {
	strs   map[string]string
	models map[api.LLMModel]*api.LLMModel
}

// NewInterner returns an empty interner.
func NewInterner() *Interner {
	return &Interner{strs: map[string]string{}, models: map[api.LLMModel]*api.LLMModel{}}
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
	t.BotIconSrc = in.String(t.BotIconSrc)
	t.UserIconSrc = in.String(t.UserIconSrc)
	t.AgentIconSrc = in.String(t.AgentIconSrc)
	t.BubbleIconSrc = in.String(t.BubbleIconSrc)
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
