namespace Blog.MailingList;

/// <param name="Added">New addresses written.</param>
/// <param name="AlreadyListed">Addresses the list already had; left exactly as they were.</param>
/// <param name="ConfirmationsQueued">Confirmation mails queued for the new pending addresses.</param>
/// <param name="Suppressed">Addresses erased after a spam complaint (<c>forget</c>), which an import never adds back.</param>
public sealed record ImportResult(int Added, int AlreadyListed, int ConfirmationsQueued)
{
    public int Suppressed { get; init; }
}
