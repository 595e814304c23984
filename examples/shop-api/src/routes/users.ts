/** Registration and profiles. */
import { Router } from 'express';
import { recordUserRegistered } from '@o4o/otel';
import type { DataSource } from 'typeorm';
import type { Logger } from 'winston';
import { USER_ROLES, UserEntity, type User, type UserRole } from '../entities';

export function userRoutes(dataSource: DataSource, logger: Logger): Router {
  const router = Router();
  const users = dataSource.getRepository<User>(UserEntity);

  router.post('/users', async (req, res) => {
    const { email, name, role } = req.body as { email?: string; name?: string; role?: string };
    if (!email || !name || !USER_ROLES.includes(role as UserRole)) {
      res.status(400).json({ error: `email, name and role (${USER_ROLES.join(', ')}) are required` });
      return;
    }
    if (await users.existsBy({ email })) {
      res.status(409).json({ error: 'email already registered' });
      return;
    }
    const user = await users.save(users.create({ email, name, role: role as UserRole }));
    recordUserRegistered({ userRole: user.role });
    logger.info('user registered', { userId: user.id, userRole: user.role });
    res.status(201).json({ id: user.id, role: user.role });
  });

  router.get('/users/:id', async (req, res) => {
    const user = await users.findOneBy({ id: Number(req.params.id) });
    if (!user) {
      res.status(404).json({ error: 'user not found' });
      return;
    }
    res.json({ id: user.id, name: user.name, role: user.role });
  });

  return router;
}
