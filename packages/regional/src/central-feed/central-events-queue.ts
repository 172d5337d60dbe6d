/** The regional queue central's events arrive on (from the HTTP feed subscription, or from SNS). */
export const CENTRAL_EVENTS_QUEUE = 'central-events';
