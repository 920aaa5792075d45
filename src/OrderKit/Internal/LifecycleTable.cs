using System.Numerics;
using Stateless.Reflection;

namespace OrderKit.Internal;

/// <summary>Turns a Stateless machine's description into a table of the actions (flag triggers) each status permits.</summary>
internal static class LifecycleTable
{
    /// <summary>The permitted triggers of each state, as the bits of their flag values, indexed by the state's value.</summary>
    /// <param name="info">The machine's description.</param>
    /// <param name="stateCount">One more than the highest state value.</param>
    public static int[] Compile(StateMachineInfo info, int stateCount)
    {
        int[] allowed = new int[stateCount];
        foreach (StateInfo state in info.States)
        {
            int index = (int)state.UnderlyingState;
            foreach (TriggerInfo trigger in state.Transitions.Select(static t => t.Trigger).Concat(state.IgnoredTriggers.Select(static t => t.Trigger)))
            {
                allowed[index] |= (int)trigger.UnderlyingTrigger;
            }
        }

        return allowed;
    }

    /// <summary>
    /// The statuses each transition may lead to, as bits of the status values, at
    /// <c>[state * 32 + bit index of the trigger's flag]</c>: one bit for a fixed or re-entry transition, the state
    /// itself for an ignored trigger, the declared destinations for a dynamic one, 0 when the state does not permit the
    /// trigger.
    /// </summary>
    /// <remarks>
    /// Lifecycles move on this table instead of firing Stateless, so a definition it cannot follow exactly (guards,
    /// entry, exit or activation actions, substates, internal transitions, a dynamic transition with no declared
    /// destination) is refused here, at start-up.
    /// </remarks>
    /// <param name="info">The machine's description.</param>
    /// <param name="stateCount">One more than the highest state value (at most 32).</param>
    public static int[] CompileDestinations(StateMachineInfo info, int stateCount) =>
        CompileDestinations(info, stateCount, TriggerBits, static trigger => BitOperations.Log2((uint)trigger), guarded: false);

    /// <summary>
    /// <see cref="CompileDestinations(StateMachineInfo, int)"/> for any trigger numbering: the destinations of
    /// <c>trigger</c> from <c>state</c> sit at <c>[state * triggerCount + column(trigger)]</c>.
    /// </summary>
    /// <param name="info">The machine's description.</param>
    /// <param name="stateCount">One more than the highest state value (at most 32).</param>
    /// <param name="triggerCount">The number of columns.</param>
    /// <param name="column">A trigger's column, from its value.</param>
    /// <param name="guarded">Whether guards are allowed: true when the caller checks them itself, from its own table.</param>
    public static int[] CompileDestinations(StateMachineInfo info, int stateCount, int triggerCount, Func<int, int> column, bool guarded)
    {
        int[] destinations = new int[stateCount * triggerCount];
        int Cell(int state, int trigger) => (state * triggerCount) + column(trigger);
        foreach (StateInfo state in info.States)
        {
            if (state.EntryActions.Any() || state.ExitActions.Any() || state.ActivateActions.Any() || state.DeactivateActions.Any()
                || state.Substates.Any() || state.Superstate is not null)
            {
                throw new InvalidOperationException($"The lifecycle gives state {state.UnderlyingState} actions or substates, which its compiled table does not follow.");
            }

            int from = (int)state.UnderlyingState;
            foreach (FixedTransitionInfo transition in state.FixedTransitions)
            {
                destinations[Cell(from, Checked(transition, state))] |= 1 << (int)transition.DestinationState.UnderlyingState;
            }

            foreach (DynamicTransitionInfo transition in state.DynamicTransitions)
            {
                int possible = 0;
                foreach (DynamicStateInfo destination in transition.PossibleDestinationStates)
                {
                    possible |= 1 << (int)Enum.Parse(state.UnderlyingState.GetType(), destination.DestinationState);
                }

                if (possible == 0)
                {
                    throw new InvalidOperationException($"The lifecycle's dynamic transition on {transition.Trigger.UnderlyingTrigger} from {state.UnderlyingState} declares no destinations.");
                }

                destinations[Cell(from, Checked(transition, state))] |= possible;
            }

            foreach (IgnoredTransitionInfo ignored in state.IgnoredTriggers)
            {
                destinations[Cell(from, (int)ignored.Trigger.UnderlyingTrigger)] |= 1 << from;
            }
        }

        return destinations;

        int Checked(TransitionInfo transition, StateInfo state)
        {
            if (transition.IsInternalTransition || (!guarded && transition.GuardConditionsMethodDescriptions.Any()))
            {
                throw new InvalidOperationException($"The lifecycle has a guarded or internal transition on {transition.Trigger.UnderlyingTrigger} in {state.UnderlyingState}, which its compiled table does not follow.");
            }

            return (int)transition.Trigger.UnderlyingTrigger;
        }
    }

    /// <summary>Where <paramref name="trigger"/> may take a state, as bits of the status values (0: not permitted).</summary>
    public static int Destinations(int[] destinations, int state, int trigger) =>
        trigger == 0 || (trigger & (trigger - 1)) != 0 ? 0 : destinations[(state * TriggerBits) + BitOperations.Log2((uint)trigger)];

    private const int TriggerBits = 32;
}
