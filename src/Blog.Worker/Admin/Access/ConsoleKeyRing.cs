using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Blog.Admin.Access;

/// <summary>
/// The data-protection keys that sign the console's cookies, kept in the database (<c>admin_keys</c>): every node of a
/// cluster reads the one ring, so a session begun on one is good on all, and a restart keeps every session.
/// The keys are stored as they are: whoever can read the database can also write its accounts.
/// </summary>
internal sealed class ConsoleKeyRing(IConsoleKeys keys) : IXmlRepository
{
    // Data protection asks synchronously, and rarely: at its first use and when the ring is refreshed (daily).
    public IReadOnlyCollection<XElement> GetAllElements() =>
        [.. Task.Run(() => keys.KeysAsync(CancellationToken.None)).GetAwaiter().GetResult().Select(xml => XElement.Parse(xml))];

    public void StoreElement(XElement element, string friendlyName) =>
        Task.Run(() => keys.StoreKeyAsync(friendlyName, element.ToString(SaveOptions.DisableFormatting), CancellationToken.None)).GetAwaiter().GetResult();
}
