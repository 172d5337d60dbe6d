import { SNS_EVERY_REGION, SNS_REGION_ATTRIBUTE } from '@keel/central/contracts';
import { SetSubscriptionAttributesCommand, SubscribeCommand, paginateListSubscriptionsByTopic, type SNSClient } from '@aws-sdk/client-sns';

/** The message attribute central's SNS feed relay sets: the tenant's home region, or `*` for every region. */

export interface RegionTopicSubscription {
  snsClient: SNSClient;
  /** Central's feed topic (SNS_TOPIC_ARN). */
  topicArn: string;
  /** The ARN of this region's `central-events` SQS queue (`<SQS_QUEUE_PREFIX>-central-events`). */
  queueArn: string;
  /** This region's id (KEEL_REGION). */
  region: string;
}

/** The subscription's attributes: only this region's events and those for every region, delivered as published. */
function regionSubscriptionAttributes(region: string): Record<string, string> {
  return {
    FilterPolicy: JSON.stringify({ [SNS_REGION_ATTRIBUTE]: [region, SNS_EVERY_REGION] }),
    FilterPolicyScope: 'MessageAttributes',
    RawMessageDelivery: 'true',
  };
}

/**
 * FEED_DRIVER=sns: subscribes a region's `central-events` queue to central's topic with a filter on
 * the home region and raw delivery, so the consumers receive the envelopes exactly as central's
 * relay published them. Idempotent: an existing subscription of that queue gets the attributes set
 * again (SNS refuses to Subscribe twice with different attributes). Resolves with the subscription ARN.
 *
 * The queue must also allow the topic to send to it (a queue policy granting `sqs:SendMessage` to
 * `sns.amazonaws.com` on condition `aws:SourceArn` = the topic): that is infrastructure's job.
 */
export async function subscribeRegionToCentralTopic(options: RegionTopicSubscription): Promise<string> {
  const attributes = regionSubscriptionAttributes(options.region);
  const existing = await findSubscription(options);
  if (existing !== undefined) {
    for (const [name, value] of Object.entries(attributes)) {
      await options.snsClient.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: existing, AttributeName: name, AttributeValue: value }));
    }
    return existing;
  }
  const output = await options.snsClient.send(
    new SubscribeCommand({ TopicArn: options.topicArn, Protocol: 'sqs', Endpoint: options.queueArn, Attributes: attributes, ReturnSubscriptionArn: true }),
  );
  if (output.SubscriptionArn === undefined) throw new Error(`SNS answered without the ARN of the subscription of ${options.queueArn}`);
  return output.SubscriptionArn;
}

async function findSubscription(options: RegionTopicSubscription): Promise<string | undefined> {
  for await (const page of paginateListSubscriptionsByTopic({ client: options.snsClient }, { TopicArn: options.topicArn })) {
    const found = page.Subscriptions?.find((subscription) => subscription.Protocol === 'sqs' && subscription.Endpoint === options.queueArn);
    if (found?.SubscriptionArn !== undefined && found.SubscriptionArn !== 'PendingConfirmation') return found.SubscriptionArn;
  }
  return undefined;
}
