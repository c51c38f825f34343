namespace Blog.Admin.Access;

/// <summary>The console's data-protection keys (table <c>admin_keys</c>): one key ring for every node, kept over restarts.</summary>
public interface IConsoleKeys
{
    Task<IReadOnlyList<string>> KeysAsync(CancellationToken cancellationToken);

    Task StoreKeyAsync(string name, string xml, CancellationToken cancellationToken);
}
