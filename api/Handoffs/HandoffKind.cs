using TheModel.Api.People;

namespace TheModel.Api.Handoffs;

public enum HandoffKind
{
    MqlToIs,
    SqlToFs,
    WonToCs,
}

public enum HandoffState
{
    Offered,
    Accepted,
    Rejected,
    Expired,
}

/// <summary>Why a lead was turned down: the fixed list the baton meeting counts, plus a free note on the handoff.</summary>
public enum RejectReason
{
    NotTarget,
    NoBudget,
    NoAuthority,
    NoNeed,
    BadTiming,
    Unreachable,
    Duplicate,
    Other,
}

/// <summary>How routing chose the assignee.</summary>
public enum RoutingRule
{
    AccountOwner,
    RoundRobin,
    Queue,
    Manual,
}

public static class HandoffKinds
{
    public static Department From(this HandoffKind kind) => kind switch
    {
        HandoffKind.MqlToIs => Department.MK,
        HandoffKind.SqlToFs => Department.IS,
        HandoffKind.WonToCs => Department.FS,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static Department To(this HandoffKind kind) => kind switch
    {
        HandoffKind.MqlToIs => Department.IS,
        HandoffKind.SqlToFs => Department.FS,
        HandoffKind.WonToCs => Department.CS,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
