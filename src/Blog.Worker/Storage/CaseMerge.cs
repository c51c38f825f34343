namespace Blog.Storage;

/// <summary>Rows an upgrade found to be one address in different cases, merged into the earliest.</summary>
public sealed record CaseMerge(long KeptId, string Kept, ImmutableArray<(long Id, string Address)> Absorbed)
{
    public override string ToString() =>
        $"{Kept} (id {KeptId.ToString(System.Globalization.CultureInfo.InvariantCulture)}) absorbed " +
        string.Join(", ", Absorbed.Select(a => $"{a.Address} (id {a.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)})"));
}
