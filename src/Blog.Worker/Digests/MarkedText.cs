namespace Blog.Digests;

/// <summary>
/// A rendered template cut at its markers, so a subscriber's values go in with one pass and one allocation, not a
/// <see cref="string.Replace(string, string?, StringComparison)"/> (a copy of the whole text) for each marker.
/// </summary>
internal sealed class MarkedText
{
    private readonly string[] pieces;
    private readonly int[] slots;

    /// <param name="markers">Plain letters and digits that appear nowhere else in <paramref name="text"/>.</param>
    public MarkedText(string text, IReadOnlyList<string> markers)
    {
        var pieces = new List<string>();
        var slots = new List<int>();
        var at = 0;
        while (true)
        {
            var (next, which) = (-1, -1);
            for (var m = 0; m < markers.Count; m++)
            {
                var found = text.IndexOf(markers[m], at, StringComparison.Ordinal);
                if (found >= 0 && (next < 0 || found < next)) (next, which) = (found, m);
            }
            if (next < 0) break;
            pieces.Add(text[at..next]);
            slots.Add(which);
            at = next + markers[which].Length;
        }
        pieces.Add(text[at..]);
        this.pieces = [.. pieces];
        this.slots = [.. slots];
    }

    /// <summary>The text with marker <c>i</c> replaced by <paramref name="values"/>[i] wherever it was.</summary>
    public string Fill(string[] values)
    {
        var length = 0;
        foreach (var piece in pieces) length += piece.Length;
        foreach (var slot in slots) length += values[slot].Length;
        return string.Create(length, (this, values), static (span, state) =>
        {
            var (text, values) = state;
            var at = 0;
            for (var i = 0; i < text.pieces.Length; i++)
            {
                text.pieces[i].CopyTo(span[at..]);
                at += text.pieces[i].Length;
                if (i == text.slots.Length) break;
                var value = values[text.slots[i]];
                value.CopyTo(span[at..]);
                at += value.Length;
            }
        });
    }
}
