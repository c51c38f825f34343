using System.Text.Json.Serialization;
using Fido2NetLib;

namespace Blog.Admin.Passkeys;

/// <summary>
/// The browser's answers, read without reflection (Native AOT): the Fido2 package's own source-generated context has
/// its options but not these two. The options themselves go through its <c>FidoModelSerializerContext</c>.
/// </summary>
[JsonSerializable(typeof(AuthenticatorAttestationRawResponse))]
[JsonSerializable(typeof(AuthenticatorAssertionRawResponse))]
internal sealed partial class PasskeyJson : JsonSerializerContext;
