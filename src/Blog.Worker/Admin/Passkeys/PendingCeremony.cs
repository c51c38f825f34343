namespace Blog.Admin.Passkeys;

/// <summary>
/// A passkey ceremony begun and not yet finished: the options sent to the browser (their challenge with them), for
/// whom, and at which origin. Kept on the server only; the browser holds its random id in a cookie.
/// </summary>
/// <param name="Registration">True to add a passkey, false to sign in with one.</param>
/// <param name="UserId">The signed-in owner adding a passkey, or the account whose password was right; null for a sign-in by passkey alone.</param>
/// <param name="OptionsJson">The options as sent, which the answer is checked against.</param>
internal sealed record PendingCeremony(bool Registration, long? UserId, string OptionsJson, PasskeyOrigin Origin, DateTimeOffset Expires);
