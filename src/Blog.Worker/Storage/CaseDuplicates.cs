using System.Data.Common;
using System.Globalization;

namespace Blog.Storage;

/// <summary>
/// Finds, before schema version 4 merges them, the subscribers whose addresses differ only in case, so the upgrade can
/// say whom it merged. The grouping is the script's own (SQL lower(), ASCII only in both databases).
/// </summary>
internal static class CaseDuplicates
{
    /// <summary>The schema version whose upgrade merges them.</summary>
    public const int MergedAt = 4;

    public static async Task<ImmutableArray<CaseMerge>> FindAsync(DbConnection connection, long version, CancellationToken cancellationToken)
    {
        if (version >= MergedAt || version < 1) return [];
        await using var command = connection.Command(
            "SELECT id, address, lower(address) FROM subscribers WHERE lower(address) IN " +
            "(SELECT lower(address) FROM subscribers GROUP BY lower(address) HAVING COUNT(*) > 1) ORDER BY id");
        var rows = new List<(long Id, string Address, string Key)>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            while (await reader.ReadAsync(cancellationToken))
                rows.Add((Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture), reader.GetString(1), reader.GetString(2)));
        // Rows come in id order, so each group's first is the one kept, and groups in the order of their kept ids.
        return [.. rows.GroupBy(r => r.Key, StringComparer.Ordinal)
            .Select(g => new CaseMerge(g.First().Id, g.First().Address, [.. g.Skip(1).Select(r => (r.Id, r.Address))]))];
    }
}
