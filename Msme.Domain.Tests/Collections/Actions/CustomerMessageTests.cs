using Msme.Domain.Collections;
using Msme.Domain.Collections.Actions;

namespace Msme.Domain.Tests.Collections.Actions;

public class CustomerMessageTests
{
    private static readonly DateOnly Today = new(2026, 12, 6);

    private static MessageFigures Figures(Mandate mandate = Mandate.ENach) => new(
        "Shah Traders", "Demo Finance", "LN-0042", 7, 12_345.5m, new DateOnly(2026, 12, 10), mandate, "UMRN000123",
        PayeeVpa: "collect.demo@okdemo", PayeeName: "Demo Finance Ltd");

    [Fact]
    public void Upi_link_escapes_values_formats_the_amount_with_two_decimals_and_carries_the_loan_reference()
    {
        Assert.Equal("upi://pay?pa=collect.demo@okdemo&pn=Demo%20Finance%20%26%20Co&am=1500.00&tn=LN%2F42%20EMI%237&cu=INR",
            UpiLink.Build("collect.demo@okdemo", "Demo Finance & Co", 1500m, "LN/42 EMI#7"));
        Assert.Contains("&am=0.50&", UpiLink.Build("a.b@bank", "X", 0.5m, "L1"));
        Assert.Contains("&am=12345.60&", UpiLink.Build("a.b@bank", "X", 12_345.6m, "L1"));
    }

    [Theory]
    [InlineData("not-a-vpa", 1)]
    [InlineData("a@b c", 1)]
    [InlineData("a.b@bank", 0)]
    [InlineData("a.b@bank", -5)]
    public void Upi_link_refuses_a_bad_vpa_or_amount(string vpa, decimal amount) =>
        Assert.Throws<MessageException>(() => UpiLink.Build(vpa, "X", amount, "L1"));

    [Fact]
    public void Upi_link_refuses_fractions_of_a_paisa() =>
        Assert.Throws<MessageException>(() => UpiLink.Build("a.b@bank", "X", 10.005m, "L1"));

    [Fact]
    public void Payment_link_message_quotes_the_uri_and_the_customers_figures()
    {
        var m = MessageTemplates.Render(MessageKind.UpiPaymentLink, Figures(), Today);
        Assert.Equal("upi://pay?pa=collect.demo@okdemo&pn=Demo%20Finance%20Ltd&am=12345.50&tn=LN-0042&cu=INR", m.UpiUri);
        Assert.Equal($"Dear Shah Traders, pay your EMI of ₹12,345.50 for loan LN-0042 by UPI: {m.UpiUri} - Demo Finance", m.Text);
    }

    [Fact]
    public void Reminder_names_the_due_date_and_amount()
    {
        var m = MessageTemplates.Render(MessageKind.Reminder, Figures() with { Amount = 1_23_456m }, Today);
        Assert.Equal("Dear Shah Traders, your EMI of ₹1,23,456.00 for loan LN-0042 (instalment 7) is due on 10-Dec-2026. Please keep the balance in your account for the auto-debit. - Demo Finance", m.Text);
        Assert.Null(m.UpiUri);
    }

    [Fact]
    public void Pre_debit_notification_carries_mandate_amount_date_and_how_to_stop_it()
    {
        var m = MessageTemplates.Render(MessageKind.PreDebitNotification, Figures(Mandate.UpiAutoPay) with { DebitDate = new DateOnly(2026, 12, 12) }, Today);
        Assert.Equal("Dear Shah Traders, Demo Finance will debit ₹12,345.50 on 12-Dec-2026 under your UPI AutoPay mandate UMRN000123 for loan LN-0042 EMI 7. " +
            "To stop it, withdraw the mandate in your UPI app or with your bank before the debit.", m.Text);
    }

    [Fact]
    public void Pre_debit_notification_needs_24_hours_and_a_mandate()
    {
        var late = Assert.Throws<MessageException>(() => MessageTemplates.Render(MessageKind.PreDebitNotification, Figures() with { DebitDate = Today }, Today));
        Assert.Contains("at least 24 hours", late.Message);
        Assert.Throws<MessageException>(() => MessageTemplates.Render(MessageKind.PreDebitNotification, Figures(Mandate.None), Today));
        Assert.Throws<MessageException>(() => MessageTemplates.Render(MessageKind.PreDebitNotification, Figures() with { MandateRef = null }, Today));
    }

    [Fact]
    public void Broken_promise_follow_up_quotes_the_promise()
    {
        var m = MessageTemplates.Render(MessageKind.BrokenPromiseFollowUp, Figures() with { PromiseDate = new DateOnly(2026, 12, 3), PromiseAmount = 5_000m }, Today);
        Assert.StartsWith("Dear Shah Traders, we did not receive the ₹5,000.00 you promised to pay by 03-Dec-2026 for loan LN-0042.", m.Text);
        Assert.Throws<MessageException>(() => MessageTemplates.Render(MessageKind.BrokenPromiseFollowUp, Figures(), Today));
    }

    [Fact]
    public void Messages_stay_within_three_sms_segments()
    {
        var m = MessageTemplates.Render(MessageKind.Reminder, Figures() with { CustomerName = new string('A', 600) }, Today);
        Assert.Equal(MessageTemplates.MaxLength, m.Text.Length);
        Assert.EndsWith("…", m.Text);
    }
}

public class OutboxTransitionTests
{
    [Theory]
    [InlineData(OutboxStatus.Queued, OutboxStatus.Sent, true)]
    [InlineData(OutboxStatus.Queued, OutboxStatus.Failed, true)]
    [InlineData(OutboxStatus.Sent, OutboxStatus.Delivered, true)]
    [InlineData(OutboxStatus.Sent, OutboxStatus.Failed, true)]
    [InlineData(OutboxStatus.Queued, OutboxStatus.Delivered, false)]
    [InlineData(OutboxStatus.Delivered, OutboxStatus.Failed, false)]
    [InlineData(OutboxStatus.Failed, OutboxStatus.Sent, false)]
    [InlineData(OutboxStatus.Sent, OutboxStatus.Queued, false)]
    public void Status_moves_only_forward(OutboxStatus from, OutboxStatus to, bool allowed) =>
        Assert.Equal(allowed, OutboxTransitions.Allowed(from, to));
}
