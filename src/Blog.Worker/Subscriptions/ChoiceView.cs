using Blog.Templates;

namespace Blog.Subscriptions;

/// <summary>The cadence radios and tag checkboxes of the sign-up and preferences forms, as template values.</summary>
internal static class ChoiceView
{
    public static void AddTo(TemplateModel model, SubscriptionChoices choices, string cadence, IReadOnlyCollection<string> tags)
    {
        model["cadences"] = choices.Cadences.Select(c => new TemplateModel { ["name"] = c, ["checked"] = c == cadence }).ToList();
        model["tags"] = choices.Tags.Select(t => new TemplateModel { ["key"] = t.TagKey, ["name"] = t.TagName, ["checked"] = tags.Contains(t.TagKey!) }).ToList();
        model["all_tags"] = tags.Count == 0;
    }

    public static void AddErrors(TemplateModel model, IReadOnlyList<string> errors)
    {
        model["errors"] = errors.ToList();
        model["has_errors"] = errors.Count > 0;
    }
}
