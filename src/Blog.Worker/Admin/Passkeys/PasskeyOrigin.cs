namespace Blog.Admin.Passkeys;

/// <summary>Whom a passkey is for (the relying party id, a host name) and the one origin its ceremony may come from.</summary>
internal sealed record PasskeyOrigin(string RpId, string Origin);
