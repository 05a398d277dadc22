import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, type DocumentNode, type GraphQLSchema } from 'graphql';
import { readContractSdl } from '../../contract/index.js';
import { createExampleDeskData, type ExampleDeskData } from './data.js';
import { exampleDeskResolvers } from './resolvers.js';
import { EXAMPLE_DESK_LAYER } from './sdl.js';

export { createExampleDeskData, exampleDeskId, type ExampleDeskData } from './data.js';

/**
 * A second helpdesk subgraph beside Freshchat, in memory: it includes `schema/contract.graphql`
 * verbatim, exactly as a Zendesk or Intercom subgraph would, so composing it with Freshchat proves
 * both speak the same contract. `npm run supergraph` serves it and the tests use it as a fixture; it
 * lives under src/ because src/ never imports from test/.
 */
export function exampleDeskTypeDefs(): DocumentNode {
  return parse(`${readContractSdl()}\n${EXAMPLE_DESK_LAYER}`);
}

export function createExampleDeskSchema(data: ExampleDeskData = createExampleDeskData()): GraphQLSchema {
  return buildSubgraphSchema([{ typeDefs: exampleDeskTypeDefs(), resolvers: exampleDeskResolvers(data) }]);
}
