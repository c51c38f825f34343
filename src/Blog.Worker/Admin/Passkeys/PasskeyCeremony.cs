using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Fido2NetLib;
using Fido2NetLib.Exceptions;
using Fido2NetLib.Objects;
using Microsoft.AspNetCore.Http;

namespace Blog.Admin.Passkeys;

/// <summary>
/// The two WebAuthn ceremonies, through the Fido2 package: adding a passkey to an account, and signing in with one.
/// Each has two halves: options for the browser (a challenge kept here, its id in a cookie of the console), then the
/// browser's answer, checked against those options, the relying party's origin and the stored key.
/// </summary>
internal sealed partial class PasskeyCeremony(IPasskeyStore store, PasskeyChallenges challenges, RelyingParty relyingParty, TimeProvider time,
    IOptions<AdminOptions> admin, ILogger<PasskeyCeremony> logger)
{
    public const string CookieName = "blog-console-passkey";

    /// <summary>A browser's answer is a few KB; anything much larger is not one.</summary>
    public const int MaxAnswerLength = 64 * 1024;

    /// <summary>Passkeys one account may have: enough for every device an owner has, and a bound on the account page.</summary>
    public const int MaxPerAccount = 20;

    public const int MaxNameLength = 100;

    /// <summary>Options to add a passkey to <paramref name="userId"/>'s account, as JSON for <c>navigator.credentials.create</c>.</summary>
    public async Task<string> BeginRegistrationAsync(HttpContext context, long userId, string userName, ImmutableArray<byte> userHandle,
        CancellationToken cancellationToken)
    {
        var origin = Origin(context);
        var existing = await store.ListAsync(userId, cancellationToken);
        if (existing.Count >= MaxPerAccount) throw new PasskeyRefusedException($"This account has {MaxPerAccount} passkeys already; remove one first.");
        var options = Fido(origin).RequestNewCredential(new RequestNewCredentialParams
        {
            User = new Fido2User { Id = userHandle.ToArray(), Name = userName, DisplayName = userName },
            ExcludeCredentials = [.. existing.Select(p => new PublicKeyCredentialDescriptor(p.CredentialId.ToArray()))],
            // A discoverable credential, so it can sign in without a name; verified by the device (PIN, fingerprint).
            AuthenticatorSelection = new AuthenticatorSelection
            {
                ResidentKey = ResidentKeyRequirement.Required,
                UserVerification = UserVerificationRequirement.Required,
            },
            AttestationPreference = AttestationConveyancePreference.None,
        });
        return Keep(context, new PendingCeremony(true, userId, options.ToJson(), origin, challenges.Expiry));
    }

    /// <summary>Checks the browser's answer to <see cref="BeginRegistrationAsync"/> and stores the passkey.</summary>
    /// <exception cref="PasskeyRefusedException">No such ceremony here (none, used, expired, another account's), or the answer does not hold.</exception>
    public async Task<AdminPasskey> FinishRegistrationAsync(HttpContext context, long userId, string answer, string name, CancellationToken cancellationToken)
    {
        name = CleanName(name);
        var ceremony = Take(context, registration: true, userId);
        var response = Parse(answer, PasskeyJson.Default.AuthenticatorAttestationRawResponse);
        RegisteredPublicKeyCredential credential;
        try
        {
            credential = await Fido(ceremony.Origin).MakeNewCredentialAsync(new MakeNewCredentialParams
            {
                AttestationResponse = response,
                OriginalOptions = CredentialCreateOptions.FromJson(ceremony.OptionsJson),
                IsCredentialIdUniqueToUserCallback = async (candidate, token) => await store.FindAsync([.. candidate.CredentialId], token) is null,
            }, cancellationToken);
        }
        catch (Fido2VerificationException e)
        {
            throw Refused(userId, "registration", e.Message);
        }
        if (credential.Id.Length > IPasskeyStore.MaxCredentialIdBytes) throw Refused(userId, "registration", "credential id too long");
        var passkey = new AdminPasskey([.. credential.Id], userId, [.. credential.PublicKey], credential.SignCount, name, time.GetUtcNow(), null);
        if (!await store.AddAsync(passkey, cancellationToken)) throw Refused(userId, "registration", "credential already registered");
        Log.Registered(logger, userId, name);
        return passkey;
    }

    /// <summary>
    /// Options to sign in, as JSON for <c>navigator.credentials.get</c>: for <paramref name="userId"/>'s passkeys (the
    /// step after a right password), or, when null, for any passkey of this console (the device offers its own).
    /// </summary>
    public async Task<string> BeginSignInAsync(HttpContext context, long? userId, CancellationToken cancellationToken)
    {
        var origin = Origin(context);
        IReadOnlyList<PublicKeyCredentialDescriptor> allowed = userId is { } id
            ? [.. (await store.ListAsync(id, cancellationToken)).Select(p => new PublicKeyCredentialDescriptor(p.CredentialId.ToArray()))]
            : [];
        var options = Fido(origin).GetAssertionOptions(new GetAssertionOptionsParams
        {
            AllowedCredentials = allowed,
            UserVerification = UserVerificationRequirement.Required,
        });
        return Keep(context, new PendingCeremony(false, userId, options.ToJson(), origin, challenges.Expiry));
    }

    /// <summary>
    /// Checks the browser's answer to <see cref="BeginSignInAsync"/>: a registered passkey (of <paramref name="userId"/>
    /// when given), signed over this ceremony's challenge at this console's origin, its counter moving on. Returns it;
    /// its <see cref="AdminPasskey.UserId"/> is whom to sign in.
    /// </summary>
    /// <param name="userHandle">The account's user handle, null when the account is gone.</param>
    /// <exception cref="PasskeyRefusedException">Refused; a counter gone back (a cloned key) is logged as such.</exception>
    public async Task<AdminPasskey> FinishSignInAsync(HttpContext context, long? userId, string answer,
        Func<long, CancellationToken, Task<ImmutableArray<byte>?>> userHandle, CancellationToken cancellationToken)
    {
        var ceremony = Take(context, registration: false, userId);
        var response = Parse(answer, PasskeyJson.Default.AuthenticatorAssertionRawResponse);
        if (response.RawId is not { Length: > 0 and <= IPasskeyStore.MaxCredentialIdBytes } rawId) throw Refused(userId, "sign-in", "no credential id");
        var passkey = await store.FindAsync([.. rawId], cancellationToken);
        if (passkey is null || (userId is { } expected && passkey.UserId != expected)) throw Refused(userId, "sign-in", "unknown credential");
        // Signing in by passkey alone, the device must say whose it is, and that must be the account the key belongs to.
        if (userId is null && response.Response?.UserHandle is null) throw Refused(null, "sign-in", "no user handle");
        var handle = await userHandle(passkey.UserId, cancellationToken) ?? throw Refused(passkey.UserId, "sign-in", "account gone");
        VerifyAssertionResult result;
        try
        {
            result = await Fido(ceremony.Origin).MakeAssertionAsync(new MakeAssertionParams
            {
                AssertionResponse = response,
                OriginalOptions = AssertionOptions.FromJson(ceremony.OptionsJson),
                StoredPublicKey = passkey.PublicKey.ToArray(),
                StoredSignatureCounter = passkey.SignCount,
                IsUserHandleOwnerOfCredentialIdCallback = (owner, _) => Task.FromResult(
                    owner.UserHandle.AsSpan().SequenceEqual(handle.AsSpan()) && owner.CredentialId.AsSpan().SequenceEqual(passkey.CredentialId.AsSpan())),
            }, cancellationToken);
        }
        catch (Fido2VerificationException e) when (e.Code == Fido2ErrorCode.InvalidSignCount)
        {
            throw Cloned(passkey, passkey.SignCount);
        }
        catch (Fido2VerificationException e)
        {
            throw Refused(passkey.UserId, "sign-in", e.Message);
        }
        // A counter that stops (0 after counting) has gone back too; and two uses with one count, only the first passes.
        if (passkey.SignCount > 0 && result.SignCount <= passkey.SignCount) throw Cloned(passkey, result.SignCount);
        if (!await store.RecordUseAsync(passkey.CredentialId, result.SignCount, time.GetUtcNow(), cancellationToken)) throw Cloned(passkey, result.SignCount);
        return passkey;
    }

    /// <summary>The relying party for <paramref name="context"/>, or refused: see <see cref="RelyingParty"/>.</summary>
    public PasskeyOrigin Origin(HttpContext context) =>
        relyingParty.Resolve(context, out var problem) ?? throw new PasskeyRefusedException($"Passkeys cannot be used here: {problem}.");

    /// <summary>A passkey's name as the owner typed it, trimmed; refused when too long or not text.</summary>
    public static string CleanName(string? name)
    {
        name = (name ?? "").Trim();
        if (name.Length > MaxNameLength) throw new PasskeyRefusedException($"A passkey's name is at most {MaxNameLength} characters.");
        if (name.Any(char.IsControl)) throw new PasskeyRefusedException("A passkey's name cannot hold control characters.");
        return name.Length == 0 ? "Passkey" : name;
    }

    private static Fido2 Fido(PasskeyOrigin origin) => new(new Fido2Configuration
    {
        RPID = origin.RpId,
        RPName = "Blog console",
        Origins = new HashSet<string>(StringComparer.Ordinal) { origin.Origin },
        Timeout = (uint)TimeSpan.FromMinutes(2).TotalMilliseconds,
    }, null);

    private string Keep(HttpContext context, PendingCeremony ceremony)
    {
        var id = challenges.Begin(ceremony);
        var prefix = admin.Value.Prefix;
        context.Response.Cookies.Append(CookieName, id, new CookieOptions
        {
            HttpOnly = true,
            Secure = context.Request.IsHttps,
            SameSite = SameSiteMode.Strict,
            Path = prefix.Length == 0 ? "/" : prefix,
            MaxAge = PasskeyChallenges.Lifetime,
        });
        return ceremony.OptionsJson;
    }

    private PendingCeremony Take(HttpContext context, bool registration, long? userId)
    {
        var ceremony = challenges.Take(context.Request.Cookies[CookieName]);
        context.Response.Cookies.Delete(CookieName, new CookieOptions { Path = admin.Value.Prefix.Length == 0 ? "/" : admin.Value.Prefix });
        // Bound to whom it began for: a registration to the signed-in owner, a second step to the account whose password was right.
        if (ceremony is null || ceremony.Registration != registration || ceremony.UserId != userId)
            throw Refused(userId, registration ? "registration" : "sign-in", "no such ceremony (never begun, used, or expired)");
        return ceremony;
    }

    private T Parse<T>(string answer, JsonTypeInfo<T> type) where T : class
    {
        try
        {
            if (answer.Length is 0 or > MaxAnswerLength) throw new JsonException("empty or too long");
            return JsonSerializer.Deserialize(answer, type) ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            throw Refused(null, "answer", "not a WebAuthn answer: " + e.Message);
        }
    }

    private PasskeyRefusedException Refused(long? userId, string step, string why)
    {
        Log.Refused(logger, step, userId, why);
        return new PasskeyRefusedException("The passkey was not accepted. Try again from the start.");
    }

    private PasskeyRefusedException Cloned(AdminPasskey passkey, uint count)
    {
        Log.Cloned(logger, passkey.UserId, passkey.Name, passkey.SignCount, count);
        return new PasskeyRefusedException("The passkey was not accepted. Try again from the start.");
    }

    private static partial class Log
    {
        [LoggerMessage(LogEvents.PasskeyCeremony.Registered, LogLevel.Information, "Console account {UserId} added a passkey named {Name}")]
        public static partial void Registered(ILogger logger, long userId, string name);

        [LoggerMessage(LogEvents.PasskeyCeremony.Refused, LogLevel.Warning, "Passkey {Step} refused (account {UserId}): {Why}")]
        public static partial void Refused(ILogger logger, string step, long? userId, string why);

        [LoggerMessage(LogEvents.PasskeyCeremony.Cloned, LogLevel.Error,
            "Passkey {Name} of console account {UserId} refused: its counter went from {Stored} to {Sent}, so it may be a copy of the key (cloned); remove it if it was not yours")]
        public static partial void Cloned(ILogger logger, long userId, string name, uint stored, uint sent);
    }
}
