namespace Blog.Cli;

/// <summary>
/// <c>blog completion bash</c>: a script that asks blog itself what can come next, through the parser's
/// <c>[suggest:POSITION]</c> directive, so the completions always match the binary and no dotnet-suggest is needed.
/// </summary>
internal static class CompletionScript
{
    public static readonly string[] Shells = ["bash"];

    // The command word is cut off the line before it is handed over: the parser only recognises its own name there,
    // and the user may have typed ./blog or a full path. The position is then the length of what is left.
    // Windows-style aliases (/h, /?) are left out: they are noise on a Unix shell.
    private const string Bash = """
        # bash completion for blog; load it with: source <(blog completion bash)
        _blog_complete()
        {
            local IFS=$'\n'
            local line="${COMP_LINE:0:COMP_POINT}"
            line="${line#"${COMP_WORDS[0]}"}"
            local cur="${COMP_WORDS[COMP_CWORD]}"
            [[ "$cur" == "=" || "$cur" == ":" ]] && cur=""
            local candidates
            candidates=$("${COMP_WORDS[0]}" "[suggest:${#line}]" "$line" 2>/dev/null) || return
            local candidate
            COMPREPLY=()
            for candidate in $(compgen -W "$candidates" -- "$cur"); do
                [[ "$candidate" == /* ]] || COMPREPLY+=("$candidate")
            done
        }
        complete -o default -F _blog_complete blog
        """;

    /// <summary>Writes the script for bash, the one shell of <see cref="Shells"/>.</summary>
    public static int Write(TextWriter output)
    {
        output.Write(Bash + "\n");
        return BlogCli.Ok;
    }
}
