namespace Blog.MailingList;

/// <param name="ConfirmationQueued">False when the address is already active, or a confirmation went out recently.</param>
public sealed record SignUpResult(Subscriber Subscriber, bool ConfirmationQueued);
