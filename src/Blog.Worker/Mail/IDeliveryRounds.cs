namespace Blog.Mail;

/// <summary>One kind of mail the running service sends in rounds, polled by <see cref="DeliveryPolling{TRounds}"/>.</summary>
internal interface IDeliveryRounds
{
    /// <summary>"Mail" or "Digests": names the kind in log lines.</summary>
    string Name { get; }

    Task RoundAsync(CancellationToken cancellationToken);

    /// <summary>Until there is something to send now, or <paramref name="timeout"/> has passed.</summary>
    Task WaitForWakeAsync(TimeSpan timeout, CancellationToken cancellationToken);
}
