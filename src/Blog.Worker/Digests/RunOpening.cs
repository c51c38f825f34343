namespace Blog.Digests;

/// <summary>How <see cref="IDigestLedger.OpenRunAsync"/> found a run.</summary>
public enum RunOpening
{
    /// <summary>New: plan it.</summary>
    Created,

    /// <summary>It existed, its planning interrupted (a stop, or another node that died): planning resumes where it was.</summary>
    Unplanned,

    /// <summary>It existed, fully planned (a catch-up fire, or another node got there first): nothing to plan; its pending deliveries go on.</summary>
    Planned,
}
