import type { DomainKit, DomainModule, ProceduresOf } from '../../kit/kit.js';

/**
 * Cloud AI services the student sets up with their own keys (Amazon Bedrock, Azure OpenAI),
 * kept in the OS keychain. Any domain that needs a chat model gets one through the engine
 * provider, which includes these; the account (sign-in) will add its own later.
 */
export function createCloud(kit: DomainKit): DomainModule<ProceduresOf<'cloud'>> {
  return {
    handlers: {
      'cloud.configure': (setup) => kit.engines.configureCloud(setup),
      'cloud.remove': async ({ provider }) => {
        await kit.engines.removeCloud(provider);
        return { provider };
      },
    },
  };
}
