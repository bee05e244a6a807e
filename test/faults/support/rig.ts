import { StripeMock } from '../../../src/dev/stripe-mock';
import { FaultCluster } from './cluster';
import { ServerConfig, ServerProcess } from './server';
import { buildWorld, World, WorldOptions } from './world';

/**
 * What a fault test stands on: a PostgreSQL of its own, a Stripe stand-in, one production server
 * (Stripe's webhooks pointed at it) and, if asked, a world built through its API.
 */
export interface Rig {
  cluster: FaultCluster;
  stripe: StripeMock;
  cfg: ServerConfig;
  /** The server now (replaced by `restart`). */
  server: ServerProcess;
  /** The world built at the start (an empty one when none was asked for). */
  world: World;
  /** Starts the server again on its port (after a kill or an exit); it becomes `server`. */
  restart(name: string, cfg?: ServerConfig): Promise<ServerProcess>;
  /** Another server on the same database and Stripe (as behind a load balancer). */
  another(name: string): Promise<ServerProcess>;
  /** Kills every server it started, stops Stripe, removes the cluster. */
  stop(): Promise<void>;
}

export interface RigOptions {
  /** More server settings. */
  env?: Record<string, string>;
  /** The world to build through the first server's API; none when omitted. */
  world?: WorldOptions;
}

export async function startRig(opts: RigOptions = {}): Promise<Rig> {
  const cluster = await FaultCluster.start();
  const stripe = new StripeMock();
  await stripe.start();
  const cfg: ServerConfig = { databaseUrl: cluster.databaseUrl, stripe, env: opts.env };
  const started: ServerProcess[] = [];
  const cleanUp = async (): Promise<void> => {
    for (const s of started) await s.kill();
    await stripe.stop();
    await cluster.destroy();
  };
  let server: ServerProcess;
  let world: World;
  try {
    server = await ServerProcess.start('A', cfg);
    started.push(server);
    stripe.webhookUrl = `${server.url}/api/v1/webhooks/stripe`;
    world = opts.world
      ? await buildWorld(server.url, opts.world)
      : ({ prisoners: [] } as unknown as World);
  } catch (err) {
    await cleanUp();
    throw err;
  }
  const rig: Rig = {
    cluster,
    stripe,
    cfg,
    server,
    world,
    async restart(name, other) {
      const s = await ServerProcess.start(name, other ?? cfg, rig.server.port);
      started.push(s);
      rig.server = s;
      return s;
    },
    async another(name) {
      const s = await ServerProcess.start(name, cfg);
      started.push(s);
      return s;
    },
    stop: cleanUp,
  };
  return rig;
}
