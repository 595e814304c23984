/** Browsing: the catalogue and single products. */
import { Router } from 'express';
import type { DataSource } from 'typeorm';
import { ProductEntity, type Product } from '../entities';

export function productRoutes(dataSource: DataSource): Router {
  const router = Router();
  const products = dataSource.getRepository<Product>(ProductEntity);

  router.get('/products', async (req, res) => {
    const category = typeof req.query.category === 'string' ? req.query.category : undefined;
    const query = products.createQueryBuilder('p').orderBy('p.id', 'ASC');
    if (category) query.where('p.category = :category', { category });
    res.json(await query.getMany());
  });

  router.get('/products/:id', async (req, res) => {
    const product = await products.findOneBy({ id: Number(req.params.id) });
    if (!product) {
      res.status(404).json({ error: 'product not found' });
      return;
    }
    res.json(product);
  });

  return router;
}
