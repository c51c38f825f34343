namespace Blog.MailingList;

/// <summary>An address to put on the list, as the CLI or the sign-up form gives it; checked before it gets here.</summary>
public sealed record SubscriberDraft(EmailAddress Address, ImmutableArray<string> Tags, string Cadence, SubscriberStatus Status);
