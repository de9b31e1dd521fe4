package apitest

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"strings"
	"time"

	"triage/api"
)

// vocabulary is what generated threads are made of.
type vocabulary struct {
	firstNames, lastNames, domains, subjects, tags, platforms []string
	models                                                    []api.LLMModel
}

// widgetIcons are the icons of every generated thread, one chat widget's.
var widgetIcons = &api.Icons{BotIconSrc: "https://cdn.contextgpt.in/icons/bot.png", UserIconSrc: "https://cdn.contextgpt.in/icons/user.png"}

func newVocabulary() vocabulary {
	return vocabulary{
		firstNames: []string{"Aisha", "Ben", "Carla", "Dmitri", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas",
			"Kemi", "Liam", "Maya", "Nikhil", "Olga", "Pablo", "Quinn", "Rosa", "Sven", "Tariq", "Uma", "Victor",
			"Wen", "Ximena", "Yusuf", "Zoe", "Ananya", "Bruno", "Chloé", "Diego", "Émile", "Fatima"},
		lastNames: []string{"Okafor", "Schmidt", "Rossi", "Ivanov", "Garcia", "Haddad", "Lee", "Tanaka", "Silva",
			"Berg", "Adeyemi", "Murphy", "Cohen", "Sharma", "Novak", "Moreno", "Walsh", "Costa", "Lindqvist",
			"Rahman", "Patel", "Dubois", "Zhang", "Herrera", "Yilmaz", "Martin", "Iyer", "Müller"},
		domains: []string{"gmail.com", "outlook.com", "acme.io", "fastmail.com", "example.org", "globex.com", "initech.co"},
		subjects: []string{
			"Refund for order #%d", "Cannot log in after password reset", "Invoice %d shows the wrong VAT",
			"How do I export my data?", "Subscription renewed twice", "Shipping to Canada?", "API key stopped working",
			"Bot keeps answering in Spanish", "Cancel my plan", "Delivery late by %d days", "Wrong size delivered",
			"Can I talk to a human?", "Upgrade to the Pro plan", "Two-factor codes not arriving", "Discount code %d rejected",
			"Webhook retries flooding our server", "GDPR data deletion request", "App crashes on Android %d",
			"Question about the enterprise SLA", "Chatbot gave a wrong price", "Payment failed with card ending %d",
			"Where is my parcel?", "Change the email on my account", "Integration with Shopify", "Bulk licence quote",
		},
		tags: []string{"billing", "refund", "bug", "vip", "shipping", "login", "feature-request",
			"churn-risk", "enterprise", "gdpr", "android", "ios", "pricing", "urgent", "follow-up", "spam"},
		platforms: []string{"WEBSITE", "WHATSAPP", "MESSENGER", "INSTAGRAM", "TELEGRAM", "SLACK", "API"},
		models: []api.LLMModel{
			{ID: "gpt-4o", Provider: "openai", Title: "GPT-4o"},
			{ID: "gpt-4o-mini", Provider: "openai", Title: "GPT-4o mini"},
			{ID: "claude-sonnet", Provider: "anthropic", Title: "Claude Sonnet"},
			{ID: "gemini-flash", Provider: "google", Title: "Gemini Flash"},
			{ID: "llama-70b", Provider: "meta", Title: "Llama 3 70B"},
		},
	}
}

// record is a thread as the server keeps it: the documented object plus
// the fields the documented object does not carry.
type record struct {
	api.Thread
	mode  api.Mode
	notes api.Nullable
	// sessions and messages are the visitor's statistics.
	sessions, messages int
}

// Generate returns n realistic threads for chatbotID, the same for the same
// seed and now: visitors with names and emails (some anonymous), titles,
// tags from a small vocabulary, models, platforms and times in the last 90
// days, newest first.
func Generate(n int, chatbotID string, seed uint64, now time.Time) []api.Thread {
	recs := generate(n, chatbotID, seed, now)
	out := make([]api.Thread, len(recs))
	for i := range recs {
		out[i] = recs[i].Thread
	}
	return out
}

func generate(n int, chatbotID string, seed uint64, now time.Time) []record {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	v := newVocabulary()
	now = now.UTC().Truncate(time.Second)
	out := make([]record, n)
	// Spread updates over 90 days, newest first, with small random gaps.
	span := 90 * 24 * time.Hour
	step := span / time.Duration(max(n, 1))
	for i := range out {
		updated := now.Add(-time.Duration(i)*step - time.Duration(rng.Int64N(int64(step)+1)))
		started := updated.Add(-time.Duration(rng.IntN(72*60)) * time.Minute)
		t := api.Thread{
			ID:             fmt.Sprintf("th_%06d%04d", i+1, rng.IntN(10000)),
			ChatbotID:      chatbotID,
			VisitorID:      fmt.Sprintf("v_%08x", rng.Uint32()),
			Anonymous:      rng.IntN(5) == 0,
			PlatformSource: v.platforms[rng.IntN(len(v.platforms))],
			StartedAt:      started,
			UpdatedAt:      updated,
			Icons:          widgetIcons,
		}
		if rng.IntN(3) > 0 {
			t.EndedAt = updated
		}
		subject := v.subjects[rng.IntN(len(v.subjects))]
		if strings.Contains(subject, "%d") {
			subject = fmt.Sprintf(subject, 10+rng.IntN(99990))
		}
		if rng.IntN(12) > 0 {
			t.Title = subject
		}
		if !t.Anonymous {
			first, last := v.firstNames[rng.IntN(len(v.firstNames))], v.lastNames[rng.IntN(len(v.lastNames))]
			if rng.IntN(6) > 0 {
				t.VisitorName = first + " " + last
			}
			t.VisitorEmail = strings.ToLower(asciiFold(first)+"."+asciiFold(last)) + "@" + v.domains[rng.IntN(len(v.domains))]
			if rng.IntN(3) == 0 {
				t.VisitorPhone = fmt.Sprintf("+44 7%03d %06d", rng.IntN(1000), rng.IntN(1000000))
			}
		}
		t.Tags = pickTags(rng, v.tags)
		t.UnreadMessagesCount = max(0, rng.IntN(8)-4)
		t.PositiveCount = rng.IntN(4)
		t.NegativeCount = max(0, rng.IntN(5)-2)
		t.Resolved = i > n/5 && rng.IntN(10) < 7
		t.Archived = t.Resolved && rng.IntN(3) == 0
		t.Escalated = !t.Resolved && rng.IntN(8) == 0
		t.Important = rng.IntN(10) == 0
		m := v.models[rng.IntN(len(v.models))]
		t.LLMModel = &m
		rec := record{Thread: t, mode: api.ModeAI}
		rec.sessions, rec.messages = visitorStats(t.ID)
		switch {
		case t.Escalated:
			rec.mode = api.ModeHuman
		case rng.IntN(6) == 0:
			rec.mode = api.ModeAgent
		}
		if rng.IntN(8) == 0 {
			rec.notes = api.Value("Called back on " + updated.Format("2 Jan") + "; waiting for the customer.")
		}
		out[i] = rec
	}
	return out
}

// visitorStats are a visitor's sessions and messages, derived from the
// thread id so that adding them did not change the generated threads.
func visitorStats(id string) (sessions, messages int) {
	h := fnv.New32a()
	_, _ = h.Write([]byte(id))
	v := int(h.Sum32())
	sessions = 1 + v%6
	return sessions, sessions * (2 + v/6%12)
}

func pickTags(rng *rand.Rand, vocab []string) []string {
	k := rng.IntN(4)
	if k == 3 {
		k = 0
	}
	tags := make([]string, 0, k)
	for len(tags) < k {
		tag := vocab[rng.IntN(len(vocab))]
		dup := false
		for _, have := range tags {
			dup = dup || have == tag
		}
		if !dup {
			tags = append(tags, tag)
		}
	}
	return tags
}

// asciiFold turns the few accented letters of the name lists into ASCII
// for email addresses.
func asciiFold(s string) string {
	return strings.NewReplacer("é", "e", "É", "E", "ü", "u").Replace(s)
}
